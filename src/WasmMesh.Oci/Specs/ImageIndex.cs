using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>An image index: an OCI image index or a Docker manifest list, which share one shape.</summary>
public sealed record ImageIndex
{
    /// <summary>The schema version, always 2.</summary>
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    /// <summary>The index media type (<see cref="MediaTypes.OciIndex"/> or <see cref="MediaTypes.DockerManifestList"/>).</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    /// <summary>The artifact type (OCI 1.1).</summary>
    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    /// <summary>The manifests, each with its platform when one is declared.</summary>
    [JsonPropertyName("manifests")]
    public required IReadOnlyList<Descriptor> Manifests { get; init; }

    /// <summary>Annotations.</summary>
    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
