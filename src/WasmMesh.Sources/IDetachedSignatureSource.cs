namespace WasmMesh.Sources;

/// <summary>
/// Reads a detached signature file (e.g. what <c>cosign sign-blob --output-signature</c> writes) from an http(s) URL,
/// through the object sources' HTTP client: SSRF guard, timeouts and redirects as for modules, at most
/// <see cref="MaxSignatureBytes"/> bytes.
/// </summary>
public interface IDetachedSignatureSource
{
    /// <summary>The largest signature file read.</summary>
    public const int MaxSignatureBytes = 64 * 1024;

    /// <summary>Reads the signature file.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="WasmSourceException">The file cannot be read or is larger than <see cref="MaxSignatureBytes"/>.</exception>
    /// <exception cref="SsrfBlockedException">The URL names a blocked address.</exception>
    Task<byte[]> ReadAsync(Uri url, CancellationToken cancellationToken = default);
}
