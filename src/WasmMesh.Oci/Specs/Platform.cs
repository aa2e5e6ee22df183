using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>The platform a manifest in an image index is built for.</summary>
public sealed record Platform
{
    /// <summary>The CPU architecture, e.g. <c>amd64</c> or <c>wasm</c>.</summary>
    [JsonPropertyName("architecture")]
    public required string Architecture { get; init; }

    /// <summary>The operating system, e.g. <c>linux</c> or <c>wasip1</c>.</summary>
    [JsonPropertyName("os")]
    public required string OS { get; init; }

    /// <summary>The operating system version.</summary>
    [JsonPropertyName("os.version")]
    public string? OSVersion { get; init; }

    /// <summary>The CPU variant, e.g. <c>v8</c>.</summary>
    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    /// <summary>Whether this platform is WebAssembly (architecture <c>wasm</c> or a <c>wasi*</c> OS).</summary>
    [JsonIgnore]
    public bool IsWasm => string.Equals(Architecture, "wasm", StringComparison.OrdinalIgnoreCase)
        || OS.StartsWith("wasi", StringComparison.OrdinalIgnoreCase);
}
