using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>The component that reported an <see cref="Event"/>.</summary>
public sealed record EventSource
{
    /// <summary>The component name, e.g. <c>wasmer</c>.</summary>
    [JsonPropertyName("component")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Component { get; init; }

    /// <summary>The node, when the component runs per node.</summary>
    [JsonPropertyName("host")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Host { get; init; }
}
