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
}
