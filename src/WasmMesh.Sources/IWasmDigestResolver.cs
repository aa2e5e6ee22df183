namespace WasmMesh.Sources;

/// <summary>
/// Maps the sha256 of a module to the source it can be fetched from, so that any replica can fill its
/// cache on demand for a digest it has not fetched itself. Register one in DI; without one, unknown
/// digests are simply not found.
/// </summary>
public interface IWasmDigestResolver
{
    /// <summary>Finds the source of a module.</summary>
    /// <param name="sha256">The sha256 of the module bytes.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>
    /// The source, or <see langword="null"/> when no known resource uses this digest. Prefer a registry
    /// reference pinned to its manifest digest, so that a moved tag cannot change what is fetched; the
    /// result is verified against <paramref name="sha256"/> either way.
    /// </returns>
    ValueTask<WasmSourceRequest?> ResolveAsync(Digest sha256, CancellationToken cancellationToken = default);
}
