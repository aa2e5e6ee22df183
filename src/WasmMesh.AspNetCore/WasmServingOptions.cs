namespace WasmMesh.AspNetCore;

/// <summary>Options of the <c>/wasm/{sha256}</c> endpoint.</summary>
public sealed class WasmServingOptions
{
    /// <summary>The <c>Cache-Control</c> value sent with every module: modules are immutable by digest.</summary>
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    /// <summary>The content type sent with every module.</summary>
    public const string WasmContentType = "application/wasm";

    /// <summary>
    /// Whether a digest missing from the cache is fetched on demand through the registered
    /// <see cref="WasmMesh.Sources.IWasmDigestResolver"/>. Default <see langword="true"/>: this is how every
    /// replica serves every module. When off, or when no resolver is registered, such digests get 404.
    /// </summary>
    public bool FillOnDemand { get; set; } = true;

    /// <summary>
    /// How many bytes of verified modules may be kept in memory to answer full <c>GET</c>s without touching the
    /// file system. Default 64 MiB; 0 serves every request from the cache file. Modules are loaded on first
    /// request, verified again while loading, and dropped when they leave the cache.
    /// </summary>
    public long MemoryCacheBytes { get; set; } = 64L << 20;

    /// <summary>The largest module kept in memory (see <see cref="MemoryCacheBytes"/>). Default 8 MiB.</summary>
    public long MaxMemoryCachedModuleSize { get; set; } = 8L << 20;
}
