namespace WasmMesh.Sources;

/// <summary>
/// The content-addressed module cache on disk (<c>&lt;Directory&gt;/sha256/&lt;hex&gt;</c>). Files are written
/// atomically, verified on first use after start and whenever in doubt; a corrupt file is deleted,
/// never served.
/// </summary>
public interface IWasmModuleCache : IWasmCacheRetention
{
    /// <summary>The number of modules in the cache.</summary>
    int Count { get; }

    /// <summary>The bytes the cache holds.</summary>
    long TotalBytes { get; }

    /// <summary>Whether the cache holds a file for a module, verified or not. Cheap: no file system access.</summary>
    /// <param name="sha256">The sha256 of the module.</param>
    /// <returns>Whether the module is in the cache.</returns>
    bool Contains(Digest sha256);

    /// <summary>Finds a verified module. A file not yet verified since start (or in doubt) is hashed first, once however many callers ask.</summary>
    /// <param name="sha256">The sha256 of the module.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The module, or <see langword="null"/> when it is absent or was corrupt (and has been deleted).</returns>
    ValueTask<WasmModuleResult?> TryGetAsync(Digest sha256, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams a module into the cache: hashed, size-limited and inspected while it is written to a temporary
    /// file, which is flushed to disk and renamed into place only when everything checked out.
    /// </summary>
    /// <param name="content">The module bytes, read to the end.</param>
    /// <param name="subject">What is stored, for error messages (no credentials or query strings).</param>
    /// <param name="expectedSha256">The sha256 the bytes must have, when known.</param>
    /// <param name="cancellationToken">Cancels the store; nothing is kept.</param>
    /// <returns>The stored, verified module.</returns>
    /// <exception cref="DigestMismatchException">The bytes did not match <paramref name="expectedSha256"/>.</exception>
    /// <exception cref="SizeLimitExceededException">The bytes exceed <see cref="WasmSourceOptions.MaxModuleSize"/>.</exception>
    /// <exception cref="InvalidWasmModuleException">The bytes are not a module, or not a proxy-wasm module when that is required.</exception>
    Task<WasmModuleResult> StoreAsync(Stream content, string subject, Digest? expectedSha256 = null, CancellationToken cancellationToken = default);

    /// <summary>Re-hashes a cached module now; deletes it when it is corrupt.</summary>
    /// <param name="sha256">The sha256 of the module.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether the module is cached and intact.</returns>
    Task<bool> VerifyAsync(Digest sha256, CancellationToken cancellationToken = default);

    /// <summary>Marks a module as in doubt (e.g. a read of its file failed): the next use re-hashes it first.</summary>
    /// <param name="sha256">The sha256 of the module.</param>
    void MarkUnverified(Digest sha256);
}
