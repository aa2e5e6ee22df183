using System.Text.Json.Serialization;
using k8s;

namespace WasmMesh.Model;

/// <summary>A standard Kubernetes status condition.</summary>
public sealed record StatusCondition
{
    /// <summary>The condition type, e.g. <c>Ready</c>, <c>ModuleAvailable</c>, <c>EnvoyFilterWritten</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>The generation the condition was computed for.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    /// <summary>When the status last changed.</summary>
    [JsonPropertyName("lastTransitionTime")]
    [JsonConverter(typeof(KubernetesJson.KubernetesDateTimeOffsetConverter))]
    public DateTimeOffset? LastTransitionTime { get; init; }

    /// <summary>A CamelCase reason.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>A human-readable message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
