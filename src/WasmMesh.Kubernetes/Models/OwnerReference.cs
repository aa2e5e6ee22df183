using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>A reference from a dependent object to its owner (<c>metav1.OwnerReference</c>).</summary>
public sealed record OwnerReference
{
    /// <summary>The owner's API version.</summary>
    [JsonPropertyName("apiVersion")]
    public required string ApiVersion { get; init; }

    /// <summary>The owner's kind.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The owner's name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The owner's uid.</summary>
    [JsonPropertyName("uid")]
    public required string Uid { get; init; }

    /// <summary>True when the owner is the managing controller (at most one owner per object).</summary>
    [JsonPropertyName("controller")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Controller { get; init; }

    /// <summary>True when foreground deletion of the owner waits for this dependent.</summary>
    [JsonPropertyName("blockOwnerDeletion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? BlockOwnerDeletion { get; init; }
}
