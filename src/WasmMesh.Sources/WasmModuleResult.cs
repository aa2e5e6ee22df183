namespace WasmMesh.Sources;

/// <summary>
/// A verified module in the cache, and — when it was made available for a source — where it came from. The file at
/// <see cref="Path"/> held exactly the bytes that hash to <see cref="Sha256"/> when it was verified; the cache checks
/// that it is still that file before it is served.
/// </summary>
public sealed record WasmModuleResult
{
    /// <summary>The sha256 of the module bytes: write this into Envoy's <c>remote.sha256</c> and the serving URL.</summary>
    public required Digest Sha256 { get; init; }

    /// <summary>The size of the module in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The full path of the verified cache file. Read it, never write it.</summary>
    public required string Path { get; init; }

    /// <summary>The proxy-wasm ABI marker export, e.g. <c>proxy_abi_version_0_2_0</c>; <see langword="null"/> when the module has none.</summary>
    public string? ProxyAbiVersion { get; init; }

    /// <summary>The kind of source the module came from; <see langword="null"/> when it was found in the cache by its digest.</summary>
    public WasmSourceKind? SourceKind { get; init; }

    /// <summary>The manifest digest the registry image resolved to; <see langword="null"/> for object sources and cache lookups.</summary>
    public Digest? ManifestDigest { get; init; }

    /// <summary>How the module was stored in the registry (the OCI layout that was read); <see langword="null"/> otherwise.</summary>
    public string? Layout { get; init; }

    /// <summary>
    /// Where the bytes were downloaded from: the registry reference that served them (a mirror's when a mirror did),
    /// or the object URL without credentials or query; <see langword="null"/> when they were already cached.
    /// </summary>
    public string? FetchedFrom { get; init; }

    /// <summary>Whether the bytes were downloaded to satisfy this request (<see langword="false"/>: they were already cached).</summary>
    public bool Downloaded { get; init; }

    /// <summary>The strong HTTP entity tag for the module: the lowercase sha256 hex in double quotes.</summary>
    public string ETag => $"\"{Sha256.Hex}\"";

    /// <summary>The identity of the cache file when it was verified.</summary>
    internal FileIdentity Identity { get; init; }
}
