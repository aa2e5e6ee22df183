using System.Formats.Tar;
using System.IO.Compression;

namespace WasmMesh.Oci;

/// <summary>
/// Writes the reproducible image layer: a tar holding <c>plugin.wasm</c> (mode 0644, owner 0:0, mtime 0) compressed
/// with gzip at the fastest level (modules compress about as well, at a fraction of the time). The same module always
/// gives the same bytes, and so the same digests. The module is read once: its own digest, the tar's (diff ID) and the
/// compressed layer's are computed on the way, so the layer can be written straight into an upload.
/// </summary>
internal static class ImageLayerWriter
{
    public static Task<ImageLayer> WriteAsync(string wasmPath, Stream destination, CancellationToken cancellationToken)
        => WriteAsync(wasmPath, destination, null, cancellationToken);

    /// <summary>Writes the layer to <paramref name="destination"/>.</summary>
    /// <param name="wasmPath">The module file.</param>
    /// <param name="destination">Receives the gzip bytes (left open).</param>
    /// <param name="progress">Called with the number of module bytes read, as they are read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The layer's digest and size, its diff ID, and the module's digest and size.</returns>
    public static async Task<ImageLayer> WriteAsync(string wasmPath, Stream destination, Action<long>? progress, CancellationToken cancellationToken)
    {
        var compressed = new HashingWriteStream(destination, leaveOpen: true);
        await using (compressed.ConfigureAwait(false))
        {
            Digest diffId;
            Digest wasmSha256;
            long wasmSize;
            var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                var uncompressed = new HashingWriteStream(gzip, leaveOpen: true);
                await using (uncompressed.ConfigureAwait(false))
                {
                    var tar = new TarWriter(uncompressed, TarEntryFormat.Ustar, leaveOpen: true);
                    await using (tar.ConfigureAwait(false))
                    {
                        var module = new MeteredFileReadStream(
                            new FileStream(wasmPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan),
                            progress);
                        await using (module.ConfigureAwait(false))
                        {
                            var entry = new UstarTarEntry(TarEntryType.RegularFile, LayoutDetector.PluginFileName)
                            {
                                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                                ModificationTime = DateTimeOffset.UnixEpoch,
                                Uid = 0,
                                Gid = 0,
                                UserName = string.Empty,
                                GroupName = string.Empty,
                                DataStream = module,
                            };
                            await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                            wasmSha256 = module.GetDigest();
                            wasmSize = module.BytesRead;
                        }
                    }

                    await uncompressed.FlushAsync(cancellationToken).ConfigureAwait(false);
                    diffId = uncompressed.GetDigest();
                }
            }

            await compressed.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new ImageLayer(compressed.GetDigest(), compressed.BytesWritten, diffId, wasmSha256, wasmSize);
        }
    }
}

/// <summary>What <see cref="ImageLayerWriter"/> wrote.</summary>
/// <param name="Digest">The digest of the gzip bytes.</param>
/// <param name="Size">The number of gzip bytes.</param>
/// <param name="DiffId">The digest of the uncompressed tar.</param>
/// <param name="WasmSha256">The digest of the module.</param>
/// <param name="WasmSize">The module's size.</param>
internal readonly record struct ImageLayer(Digest Digest, long Size, Digest DiffId, Digest WasmSha256, long WasmSize);
