using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>The parts of an OCI/Docker image config that a wasm image needs.</summary>
public sealed record ImageConfig
{
    /// <summary>The CPU architecture, e.g. <c>amd64</c>.</summary>
    [JsonPropertyName("architecture")]
    public required string Architecture { get; init; }

    /// <summary>The operating system, e.g. <c>linux</c>.</summary>
    [JsonPropertyName("os")]
    public required string OS { get; init; }

    /// <summary>The layer diff ids (sha256 of each uncompressed layer).</summary>
    [JsonPropertyName("rootfs")]
    public required RootFs RootFs { get; init; }
}
