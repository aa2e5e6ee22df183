namespace WasmMesh.Oci;

/// <summary>What <see cref="IWasmRegistryClient.InspectAsync"/> found.</summary>
public sealed record WasmInspectResult
{
    /// <summary>The reference inspected.</summary>
    public required ImageReference Reference { get; init; }

    /// <summary>The digest the reference resolves to (the index's, when it names an index).</summary>
    public required Digest ManifestDigest { get; init; }

    /// <summary>The media type of what the reference resolves to.</summary>
    public required string ManifestMediaType { get; init; }

    /// <summary>The digest of the image manifest holding the module, when an index was followed.</summary>
    public Digest? ImageManifestDigest { get; init; }

    /// <summary>The layout recognised.</summary>
    public required WasmLayout Layout { get; init; }

    /// <summary>The config media type.</summary>
    public required string ConfigMediaType { get; init; }

    /// <summary>Every layer media type, in order.</summary>
    public required IReadOnlyList<string> LayerMediaTypes { get; init; }

    /// <summary>The sha256 of the module bytes.</summary>
    public required Digest WasmSha256 { get; init; }

    /// <summary>The module size in bytes.</summary>
    public required long WasmSize { get; init; }

    /// <summary>The module's exports and proxy-wasm ABI marker.</summary>
    public required WasmModuleInfo Module { get; init; }
}
