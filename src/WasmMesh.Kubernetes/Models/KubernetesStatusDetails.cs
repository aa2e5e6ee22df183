using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>The <c>details</c> of a <see cref="KubernetesStatus"/>.</summary>
public sealed record KubernetesStatusDetails
{
    /// <summary>The object name.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>The API group.</summary>
    [JsonPropertyName("group")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Group { get; init; }

    /// <summary>The kind (or resource plural).</summary>
    [JsonPropertyName("kind")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    /// <summary>The object uid.</summary>
    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uid { get; init; }

    /// <summary>Individual causes, e.g. one per invalid field or per conflicting field manager.</summary>
    [JsonPropertyName("causes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<KubernetesStatusCause>? Causes { get; init; }

    /// <summary>Seconds to wait before retrying, when the server suggests it.</summary>
    [JsonPropertyName("retryAfterSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int RetryAfterSeconds { get; init; }
}
