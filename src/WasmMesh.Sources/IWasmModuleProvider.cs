using Microsoft.Win32.SafeHandles;

namespace WasmMesh.Sources;

/// <summary>
/// Fetches modules from their sources, verifies them, keeps them in the cache and finds them by digest: the one
/// seam between the module data path and whatever serves modules. Concurrent calls that need the same bytes — for
/// one source, one registry manifest, one object URL or one pinned digest — share one upstream fetch.
/// </summary>
public interface IWasmModuleProvider
{
    /// <summary>
    /// Makes the module a source names available in the cache: a registry tag is resolved to its manifest
    /// digest (a cheap request); the module is downloaded only when that manifest, or the pinned sha256,
    /// is not cached yet. An object source with a pinned sha256 is fetched at least once per replica and source,
    /// even when a module with that sha256 is cached, so that a URL serving other bytes is always reported.
    /// </summary>
    /// <param name="request">The source.</param>
    /// <param name="cancellationToken">Stops waiting; a fetch other callers share keeps running until its timeout.</param>
    /// <returns>The verified module.</returns>
    /// <exception cref="WasmSourceException">The source could not be read (status, timeout, connection).</exception>
    /// <exception cref="SsrfBlockedException">An object URL resolved to an address the SSRF guard refuses.</exception>
    /// <exception cref="DigestMismatchException">The bytes did not match the pinned sha256.</exception>
    /// <exception cref="SizeLimitExceededException">The module is larger than <see cref="WasmSourceOptions.MaxModuleSize"/>.</exception>
    /// <exception cref="InvalidWasmModuleException">The bytes are not a WebAssembly module (or, when required, not a proxy-wasm one).</exception>
    Task<WasmModuleResult> EnsureAsync(WasmSourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resolves the manifest digest a registry source names, without fetching the module (a digest reference is
    /// returned as given): check a signature of that digest, then pass <see cref="EnsureAsync"/> a request pinned to it,
    /// so that what is fetched is exactly what was checked. Follows the registered registry mirrors.
    /// </summary>
    /// <param name="request">A registry source.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The manifest digest.</returns>
    /// <exception cref="ArgumentException">The request is not a registry source.</exception>
    /// <exception cref="WasmSourceException">The registry could not be read.</exception>
    Task<Digest> ResolveManifestAsync(WasmSourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds a verified module by its sha256: from the cache when present, otherwise by asking the
    /// registered <see cref="IWasmDigestResolver"/> for its source and fetching it (once, however many
    /// callers ask).
    /// </summary>
    /// <param name="sha256">The sha256 of the module bytes.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The module, or <see langword="null"/> when it is not cached and no resolver knows it.</returns>
    ValueTask<WasmModuleResult?> FindAsync(Digest sha256, CancellationToken cancellationToken = default);

    /// <summary>Finds a verified module by its sha256, filling the cache from its source only when <paramref name="fillOnDemand"/> is set.</summary>
    /// <param name="sha256">The sha256 of the module bytes.</param>
    /// <param name="fillOnDemand">Whether a module not cached is fetched through the <see cref="IWasmDigestResolver"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The module, or <see langword="null"/>.</returns>
    ValueTask<WasmModuleResult?> FindAsync(Digest sha256, bool fillOnDemand, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the file of a module returned by <see cref="FindAsync(Digest, CancellationToken)"/> for reading, when it is
    /// still the file that was verified (its identity is compared on the open handle). Otherwise the module is marked
    /// for re-verification and <see langword="null"/> is returned: find it again.
    /// </summary>
    /// <param name="cached">A module found by this provider.</param>
    /// <returns>A handle to dispose, or <see langword="null"/>.</returns>
    SafeFileHandle? TryOpen(WasmModuleResult cached);

    /// <summary>Whether the cache holds a file for a module, verified or not. Cheap: no file system access.</summary>
    /// <param name="sha256">The sha256 of the module.</param>
    /// <returns>Whether the module is cached.</returns>
    bool Contains(Digest sha256);

    /// <summary>Marks a module as in doubt (e.g. a read of its file failed): the next use hashes its file again first.</summary>
    /// <param name="sha256">The sha256 of the module.</param>
    void MarkUnverified(Digest sha256);
}
