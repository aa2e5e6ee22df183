namespace WasmMesh.Sources;

/// <summary>
/// Fetches modules from their sources, verifies them and keeps them in the cache. Concurrent calls for
/// the same source, or for the same digest, share one upstream fetch.
/// </summary>
public interface IWasmModuleProvider
{
    /// <summary>
    /// Makes the module a source names available in the cache: a registry tag is resolved to its manifest
    /// digest (a cheap request); the module is downloaded only when that manifest, or the pinned sha256,
    /// is not cached yet.
    /// </summary>
    /// <param name="request">The source.</param>
    /// <param name="cancellationToken">Stops waiting; a fetch other callers share keeps running until its timeout.</param>
    /// <returns>The verified module.</returns>
    /// <exception cref="WasmSourceException">The source could not be read (status, timeout, connection).</exception>
    /// <exception cref="SsrfBlockedException">An object URL resolved to an address the SSRF guard refuses.</exception>
    /// <exception cref="DigestMismatchException">The bytes did not match the pinned sha256; nothing was stored.</exception>
    /// <exception cref="SizeLimitExceededException">The module is larger than <see cref="WasmSourceOptions.MaxModuleSize"/>.</exception>
    /// <exception cref="InvalidWasmModuleException">The bytes are not a WebAssembly module (or, when required, not a proxy-wasm one).</exception>
    Task<WasmModuleResult> EnsureAsync(WasmSourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds a verified module by its sha256: from the cache when present, otherwise by asking the
    /// registered <see cref="IWasmDigestResolver"/> for its source and fetching it (once, however many
    /// callers ask).
    /// </summary>
    /// <param name="sha256">The sha256 of the module bytes.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The module, or <see langword="null"/> when it is not cached and no resolver knows it.</returns>
    ValueTask<CachedWasmModule?> FindAsync(Digest sha256, CancellationToken cancellationToken = default);
}
