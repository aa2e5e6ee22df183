using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>A Kubernetes owner reference.</summary>
public sealed record OwnerReference
{
    /// <summary>The owner's apiVersion.</summary>
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

    /// <summary>Whether the owner is the managing controller.</summary>
    [JsonPropertyName("controller")]
    public bool? Controller { get; init; }

    /// <summary>Whether foreground deletion of the owner waits for this object.</summary>
    [JsonPropertyName("blockOwnerDeletion")]
    public bool? BlockOwnerDeletion { get; init; }
}
