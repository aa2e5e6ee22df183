namespace WasmMesh.Sources;

/// <summary>A module that <see cref="IWasmModuleProvider.EnsureAsync"/> made available in the cache.</summary>
public sealed record WasmModuleResult
{
    /// <summary>The sha256 of the module bytes: write this into Envoy's <c>remote.sha256</c> and the serving URL.</summary>
    public required Digest Sha256 { get; init; }

    /// <summary>The manifest digest the registry image resolved to; <see langword="null"/> for object sources.</summary>
    public Digest? ManifestDigest { get; init; }

    /// <summary>The size of the module in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The kind of source the module came from.</summary>
    public required WasmSourceKind SourceKind { get; init; }

    /// <summary>How the module was stored in the registry (the OCI layout that was read); <see langword="null"/> for object sources.</summary>
    public string? Layout { get; init; }

    /// <summary>The proxy-wasm ABI marker export, e.g. <c>proxy_abi_version_0_2_0</c>; <see langword="null"/> when the module has none.</summary>
    public string? ProxyAbiVersion { get; init; }

    /// <summary>The full path of the verified cache file.</summary>
    public required string Path { get; init; }

    /// <summary>Whether the bytes were downloaded to satisfy this request (<see langword="false"/>: they were already cached).</summary>
    public bool Downloaded { get; init; }
}
