namespace WasmMesh.Sources;

/// <summary>Reads detached signature files through <see cref="ObjectSource"/>, size-limited while streaming.</summary>
internal sealed class DetachedSignatureSource(ObjectSource objects) : IDetachedSignatureSource
{
    public async Task<byte[]> ReadAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var response = await objects.OpenAsync(url, cancellationToken).ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
        {
            if (response.ContentLength > IDetachedSignatureSource.MaxSignatureBytes)
            {
                throw TooLarge(url);
            }

            var buffer = new byte[IDetachedSignatureSource.MaxSignatureBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await response.Content.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total > IDetachedSignatureSource.MaxSignatureBytes ? throw TooLarge(url) : buffer[..total];
        }
    }

    private static WasmSourceException TooLarge(Uri url)
        => new(WasmSourceKind.Object, WasmSourceRequest.RedactUrl(url), $"the signature file is larger than {IDetachedSignatureSource.MaxSignatureBytes} bytes; signatureUrl must name a signature (base64 DER), not a module", isTransient: false);
}
