using System.Text.Json.Nodes;
using WasmMesh.Model.Yaml;

namespace WasmMesh.Testing.Server;

/// <summary>Reads YAML request bodies and manifests as JSON trees (Kubernetes' YAML rules); bad YAML is a 400.</summary>
internal static class YamlDocuments
{
    public static List<JsonNode?> Parse(string yaml)
    {
        try
        {
            return YamlJsonReader.Read(yaml, "body").Select(d => d.Root).ToList();
        }
        catch (YamlReadException e)
        {
            throw ApiError.BadRequest("the YAML cannot be read: " + e.Message);
        }
    }
}
