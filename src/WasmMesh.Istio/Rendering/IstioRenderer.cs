using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Istio.Extensions;

namespace WasmMesh.Istio.Rendering;

/// <summary>Renders any generated Istio resource as YAML (as <c>kubectl -o yaml</c> prints it) or JSON.</summary>
public static class IstioRenderer
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        IndentSize = 4,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serialises a resource to a JSON document (field order as declared).</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>The document; dispose it.</returns>
    public static JsonDocument ToJsonDocument(IIstioResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var bytes = resource switch
        {
            EnvoyFilter filter => JsonSerializer.SerializeToUtf8Bytes(filter, IstioJsonContext.Default.EnvoyFilter),
            WasmPlugin plugin => JsonSerializer.SerializeToUtf8Bytes(plugin, IstioJsonContext.Default.WasmPlugin),
            TrafficExtension extension => JsonSerializer.SerializeToUtf8Bytes(extension, IstioJsonContext.Default.TrafficExtension),
            _ => throw new ArgumentException($"{resource.GetType().Name} is not a resource WasmMesh generates", nameof(resource)),
        };
        return JsonDocument.Parse(bytes);
    }

    /// <summary>Renders resources as one YAML stream, documents separated by <c>---</c>, keys sorted as kubectl sorts them.</summary>
    /// <param name="resources">The resources.</param>
    /// <returns>The YAML text.</returns>
    public static string ToYaml(IEnumerable<IIstioResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var builder = new StringBuilder();
        var first = true;
        foreach (var resource in resources)
        {
            if (!first)
            {
                builder.Append("---\n");
            }

            first = false;
            using var document = ToJsonDocument(resource);
            KubectlYaml.Write(document.RootElement, builder);
        }

        return builder.ToString();
    }

    /// <summary>Renders one resource as YAML.</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>The YAML text, ending with a newline.</returns>
    public static string ToYaml(IIstioResource resource) => ToYaml([resource]);

    /// <summary>Renders one resource as indented JSON with keys sorted as in the YAML form.</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    public static string ToJson(IIstioResource resource)
    {
        using var document = ToJsonDocument(resource);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            WriteSorted(document.RootElement, writer);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length) + "\n";
    }

    internal static void WriteSorted(JsonElement element, Utf8JsonWriter writer)
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
