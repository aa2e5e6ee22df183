using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>The status of a <see cref="Namespace"/>.</summary>
public sealed record NamespaceStatus
{
    /// <summary><c>Active</c> or <c>Terminating</c>.</summary>
    [JsonPropertyName("phase")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Phase { get; init; }
}
