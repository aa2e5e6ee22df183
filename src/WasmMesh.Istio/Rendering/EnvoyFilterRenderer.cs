using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using WasmMesh.Istio.EnvoyFilters;

namespace WasmMesh.Istio.Rendering;

/// <summary>Renders EnvoyFilters as YAML (as <c>kubectl -o yaml</c> prints them) or JSON.</summary>
public static class EnvoyFilterRenderer
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        IndentSize = 4,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Renders one EnvoyFilter as YAML, keys sorted as kubectl sorts them.</summary>
    /// <param name="filter">The EnvoyFilter.</param>
    /// <returns>The YAML text, ending with a newline.</returns>
    public static string ToYaml(EnvoyFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var document = ToJsonDocument(filter);
        return KubectlYaml.Serialize(document.RootElement);
    }

    /// <summary>Renders several EnvoyFilters as one YAML stream, documents separated by <c>---</c>.</summary>
    /// <param name="filters">The EnvoyFilters.</param>
    /// <returns>The YAML text.</returns>
    public static string ToYaml(IEnumerable<EnvoyFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var builder = new StringBuilder();
        var first = true;
        foreach (var filter in filters)
        {
            if (!first)
            {
                builder.Append("---\n");
            }

            first = false;
            using var document = ToJsonDocument(filter);
            KubectlYaml.Write(document.RootElement, builder);
        }

        return builder.ToString();
    }

    /// <summary>Renders one EnvoyFilter as indented JSON with keys sorted as in the YAML form.</summary>
    /// <param name="filter">The EnvoyFilter.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    public static string ToJson(EnvoyFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var document = ToJsonDocument(filter);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            WriteSorted(document.RootElement, writer);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length) + "\n";
    }

    /// <summary>Serialises an EnvoyFilter to a JSON document (field order as declared).</summary>
    /// <param name="filter">The EnvoyFilter.</param>
    /// <returns>The document; dispose it.</returns>
    public static JsonDocument ToJsonDocument(EnvoyFilter filter)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(filter, IstioJsonContext.Default.EnvoyFilter);
        return JsonDocument.Parse(bytes);
    }

    /// <summary>Reads an EnvoyFilter back from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The EnvoyFilter.</returns>
    public static EnvoyFilter? FromJson(string json) => JsonSerializer.Deserialize(json, IstioJsonContext.Default.EnvoyFilter);

    private static void WriteSorted(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, KubectlKeyComparer.Instance))
                {
                    writer.WritePropertyName(property.Name);
                    WriteSorted(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteSorted(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
