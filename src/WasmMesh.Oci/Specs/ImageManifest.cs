using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>
/// An image manifest: an OCI image manifest or a Docker image manifest (schema 2), which share one shape.
/// </summary>
public sealed record ImageManifest
{
    /// <summary>The schema version, always 2.</summary>
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    /// <summary>The manifest media type (<see cref="MediaTypes.OciManifest"/> or <see cref="MediaTypes.DockerManifest"/>).</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    /// <summary>The artifact type (OCI 1.1 artifacts).</summary>
    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    /// <summary>The config blob.</summary>
    [JsonPropertyName("config")]
    public required Descriptor Config { get; init; }

    /// <summary>The layers, base first.</summary>
    [JsonPropertyName("layers")]
    public required IReadOnlyList<Descriptor> Layers { get; init; }

    /// <summary>The manifest this one refers to (OCI 1.1 referrers).</summary>
    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }

    /// <summary>Annotations, e.g. <c>module.wasm.image/variant</c>.</summary>
    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
