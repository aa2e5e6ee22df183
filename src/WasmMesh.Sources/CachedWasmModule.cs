namespace WasmMesh.Sources;

/// <summary>A verified module in the cache. The file at <see cref="Path"/> holds exactly the bytes that hash to <see cref="Sha256"/>.</summary>
public sealed record CachedWasmModule
{
    /// <summary>The sha256 of the module bytes (what Envoy's <c>remote.sha256</c> names).</summary>
    public required Digest Sha256 { get; init; }

    /// <summary>The size of the module in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The full path of the cache file. Read it, never write it.</summary>
    public required string Path { get; init; }

    /// <summary>The proxy-wasm ABI marker export, e.g. <c>proxy_abi_version_0_2_0</c>; <see langword="null"/> when the module has none.</summary>
    public string? ProxyAbiVersion { get; init; }

    /// <summary>The strong HTTP entity tag for the module: the lowercase sha256 hex in double quotes.</summary>
    public string ETag => $"\"{Sha256.Hex}\"";
}
