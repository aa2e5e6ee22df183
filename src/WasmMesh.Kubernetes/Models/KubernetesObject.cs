using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>
/// A convenient base for Kubernetes object types: <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>.
/// </summary>
/// <remarks>
/// The resource clients do not require this base: any type with a <c>metadata</c> property serialized by a
/// <see cref="System.Text.Json.Serialization.Metadata.JsonTypeInfo{T}"/> works, so packages that cannot reference
/// WasmMesh.Kubernetes can define their own resource types.
/// </remarks>
public abstract record KubernetesObject
{
    /// <summary>The API version, e.g. <c>v1</c> or <c>coordination.k8s.io/v1</c>.</summary>
    [JsonPropertyName("apiVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiVersion { get; init; }

    /// <summary>The kind, e.g. <c>Secret</c>.</summary>
    [JsonPropertyName("kind")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    /// <summary>The object metadata.</summary>
    [JsonPropertyName("metadata")]
    public ObjectMeta Metadata { get; init; } = new();
}
