using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>
/// Any Kubernetes object, untyped: metadata is parsed, every other top-level field (<c>spec</c>, <c>status</c>,
/// <c>data</c>, …) is kept as JSON in <see cref="Fields"/>. Use it for kinds without a dedicated type.
/// </summary>
public sealed record GenericKubernetesObject : KubernetesObject
{
    /// <summary>The top-level fields other than <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Fields { get; set; }
}
