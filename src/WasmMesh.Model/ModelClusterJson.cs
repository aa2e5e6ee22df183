using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace WasmMesh.Model;

/// <summary>
/// Lenient JSON metadata for reading AutoWasms from the cluster. <see cref="ModelJsonContext"/> rejects unknown fields,
/// which is right for files a user hands to <c>wasmc render</c> (a typo gets a did-you-mean); an object in the cluster may
/// carry fields a newer CRD added, and those are ignored here so the object still reconciles. Source-generated, AOT-safe.
/// </summary>
public static class ModelClusterJson
{
    /// <summary>The AutoWasm metadata that ignores unknown fields at every level.</summary>
    public static JsonTypeInfo<AutoWasm> AutoWasm { get; } = Create();

    private static JsonTypeInfo<AutoWasm> Create()
    {
        var options = new JsonSerializerOptions(ModelJsonContext.Default.Options)
        {
            TypeInfoResolver = ModelJsonContext.Default.WithAddedModifier(static info =>
            {
                if (info.Kind == JsonTypeInfoKind.Object)
                {
                    info.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
                }
            }),
        };
        options.MakeReadOnly();
        return (JsonTypeInfo<AutoWasm>)options.GetTypeInfo(typeof(AutoWasm));
    }
}
