namespace WasmMesh.Oci;

/// <summary>
/// A pulled module, streamed. <see cref="Content"/> yields the raw wasm bytes: its end is reported only after
/// the layer's digest was verified, and it throws <see cref="DigestMismatchException"/> or
/// <see cref="SizeLimitExceededException"/> instead. Dispose the result to release the connection.
/// </summary>
public sealed class WasmPullResult : IAsyncDisposable, IDisposable
{
    private readonly WasmContentStream _content;

    internal WasmPullResult(ImageReference reference, Digest manifestDigest, string manifestMediaType, Digest? imageManifestDigest, ImageManifest manifest, LayoutMatch match, WasmContentStream content)
    {
        Reference = reference;
        ManifestDigest = manifestDigest;
        ManifestMediaType = manifestMediaType;
        ImageManifestDigest = imageManifestDigest;
        Manifest = manifest;
        Layout = match.Layout;
        WasmLayer = match.Layer;
        _content = content;
    }

    /// <summary>The reference pulled.</summary>
    public ImageReference Reference { get; }

    /// <summary>The digest the reference resolves to (the index's, when it names an index): pin this.</summary>
    public Digest ManifestDigest { get; }

    /// <summary>The media type of what the reference resolves to.</summary>
    public string ManifestMediaType { get; }

    /// <summary>The digest of the image manifest holding the module, when an index was followed.</summary>
    public Digest? ImageManifestDigest { get; }

    /// <summary>The image manifest holding the module.</summary>
    public ImageManifest Manifest { get; }

    /// <summary>The layout recognised.</summary>
    public WasmLayout Layout { get; }

    /// <summary>The config media type.</summary>
    public string ConfigMediaType => Manifest.Config.MediaType;

    /// <summary>Every layer media type, in order.</summary>
    public IReadOnlyList<string> LayerMediaTypes => Manifest.Layers.Select(l => l.MediaType).ToList();

    /// <summary>The layer holding the module.</summary>
    public Descriptor WasmLayer { get; }

    /// <summary>The layer's declared size in bytes.</summary>
    public long DeclaredSize => WasmLayer.Size;

    /// <summary>The module's size when known before reading (raw layer size, or the archive entry's size).</summary>
    public long? WasmSize => _content.ContentLength;

    /// <summary>The module bytes; read once, to the end, to have them verified.</summary>
    public Stream Content => _content;

    /// <summary>The sha256 of the module bytes: known at once for raw layers, else once <see cref="Content"/> was read to its end.</summary>
    public Digest? WasmSha256 => _content.Sha256;

    /// <summary>
    /// Writes the module to a file atomically: to a temporary file beside it, renamed into place only after the
    /// content was verified. On any failure nothing is left at <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <returns>The file, its sha256 and size.</returns>
    public async Task<WasmFileResult> SaveToFileAsync(string path, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                long total = 0;
                int n;
                while ((n = await _content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    total += n;
                    progress?.Report(new TransferProgress($"pull {Reference}", total, WasmSize));
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            return new WasmFileResult { Path = full, Sha256 = _content.Sha256!.Value, Size = _content.BytesRead };
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _content.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _content.Dispose();
}
