using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>An OCI content descriptor: what a manifest says about a blob or another manifest.</summary>
public sealed record Descriptor
{
    /// <summary>The media type of the referenced content.</summary>
    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    /// <summary>The digest of the referenced content.</summary>
    [JsonPropertyName("digest")]
    public required Digest Digest { get; init; }

    /// <summary>The size of the referenced content in bytes.</summary>
    [JsonPropertyName("size")]
    public required long Size { get; init; }

    /// <summary>Alternative download locations (rarely used; never followed by this client).</summary>
    [JsonPropertyName("urls")]
    public IReadOnlyList<string>? Urls { get; init; }

    /// <summary>Annotations, e.g. <c>org.opencontainers.image.title</c>.</summary>
    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The platform of a manifest listed in an index.</summary>
    [JsonPropertyName("platform")]
    public Platform? Platform { get; init; }

    /// <summary>The artifact type of a manifest listed in an index.</summary>
    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }
}
