using System.Formats.Tar;
using System.IO.Compression;

namespace WasmMesh.Oci;

/// <summary>
/// Writes the reproducible image layer: a tar holding <c>plugin.wasm</c> (mode 0644, owner 0:0, mtime 0) compressed
/// with gzip at the fastest level (modules compress about as well, at a fraction of the time). The same module always
/// gives the same bytes, and so the same digests.
/// </summary>
internal static class ImageLayerWriter
{
    public static async Task<(Digest Digest, long Size, Digest DiffId)> WriteAsync(string wasmPath, Stream destination, CancellationToken cancellationToken)
    {
        var compressed = new HashingWriteStream(destination, leaveOpen: true);
        await using (compressed.ConfigureAwait(false))
        {
            Digest diffId;
            var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                var uncompressed = new HashingWriteStream(gzip, leaveOpen: true);
                await using (uncompressed.ConfigureAwait(false))
                {
                    var tar = new TarWriter(uncompressed, TarEntryFormat.Ustar, leaveOpen: true);
                    await using (tar.ConfigureAwait(false))
                    {
                        var module = new FileStream(wasmPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
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
                        }
                    }

                    await uncompressed.FlushAsync(cancellationToken).ConfigureAwait(false);
                    diffId = uncompressed.GetDigest();
                }
            }

            await compressed.FlushAsync(cancellationToken).ConfigureAwait(false);
            return (compressed.GetDigest(), compressed.BytesWritten, diffId);
        }
    }
}
