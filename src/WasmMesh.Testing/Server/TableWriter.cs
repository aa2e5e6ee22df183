using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WasmMesh.Testing.Server;

/// <summary>Builds <c>meta.k8s.io/v1</c> Table responses from printer columns, as the API server does for kubectl.</summary>
internal static class TableWriter
{
    private const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    public static JsonObject Build(ResourceDefinition def, IEnumerable<JsonObject> objects, string resourceVersion, string? continueToken, string includeObject, DateTimeOffset now)
    {
        var columns = new JsonArray
        {
            new JsonObject { ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = NameDescription, ["priority"] = 0 },
        };
        foreach (var c in def.Columns)
        {
            columns.Add(new JsonObject { ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format, ["description"] = c.Description, ["priority"] = c.Priority });
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray { obj["metadata"]?["name"]?.ToString() };
            foreach (var c in def.Columns)
            {
                cells.Add(Cell(c, obj, now));
            }

            var row = new JsonObject { ["cells"] = cells };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = obj.DeepClone();
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = obj["metadata"]?.DeepClone(),
                    };
                    break;
            }

            rows.Add(row);
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        if (column.Compute is not null)
        {
            var computed = column.Compute(obj, now);
            return column.Type == "date" && computed is not null ? ResourceDefinition.AgeOf(computed, now) : computed;
        }

        var value = JsonPath.Evaluate(obj, column.JsonPath);
        if (value is null)
        {
            return null;
        }

        switch (column.Type)
        {
            case "date":
                return value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? ResourceDefinition.AgeOf(v, now) : JsonValue.Create("<invalid>");
            case "integer":
                return value is JsonValue iv && iv.GetValueKind() == JsonValueKind.Number && double.TryParse(iv.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create((long)d) : null;
            case "number":
                return value is JsonValue nv && nv.GetValueKind() == JsonValueKind.Number ? nv.DeepClone() : null;
            case "boolean":
                return value is JsonValue bv && bv.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? bv.DeepClone() : null;
            default:
                return JsonValue.Create(Text(value));
        }
    }

    /// <summary>Renders a value as kubectl's JSONPath printer does: strings raw, everything else as compact JSON with sorted keys.</summary>
    public static string Text(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.ToString() : GoJson(value);

    private static string GoJson(JsonNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteSorted(writer, node);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var (k, v) in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(k);
                    WriteSorted(writer, v);
                }

                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    WriteSorted(writer, item);
                }

                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
