namespace WasmMesh.Oci;

/// <summary>What a push stored.</summary>
public sealed record WasmPushResult
{
    /// <summary>The reference pushed to, pinned to <see cref="ManifestDigest"/>.</summary>
    public required ImageReference Reference { get; init; }

    /// <summary>The manifest digest (what Istio's WasmPlugin <c>sha256</c> means for <c>oci://</c>).</summary>
    public required Digest ManifestDigest { get; init; }

    /// <summary>The manifest media type.</summary>
    public required string ManifestMediaType { get; init; }

    /// <summary>The layout written.</summary>
    public required WasmPushFormat Format { get; init; }

    /// <summary>The sha256 of the module bytes (what Envoy verifies).</summary>
    public required Digest WasmSha256 { get; init; }

    /// <summary>The module size in bytes.</summary>
    public required long WasmSize { get; init; }

    /// <summary>The manifest's config and layers.</summary>
    public required ImageManifest Manifest { get; init; }
}
