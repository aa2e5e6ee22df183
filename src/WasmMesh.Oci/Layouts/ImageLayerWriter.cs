using System.Formats.Tar;
using System.IO.Compression;

namespace WasmMesh.Oci;

/// <summary>
/// Writes the reproducible image layer: a tar holding <c>plugin.wasm</c> (mode 0644, owner 0:0, mtime 0) compressed
/// with gzip at the fastest level (modules compress about as well, at a fraction of the time) — or, when samples of a
/// large module do not compress (embedded compressed or random data), gzip framing around stored blocks, which costs a
/// copy instead of a futile compression. The same module always gives the same bytes, and so the same digests. The module is read once: its own digest, the tar's (diff ID) and the
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
            var level = await ChooseLevelAsync(wasmPath, cancellationToken).ConfigureAwait(false);
            var gzip = new GZipStream(compressed, level, leaveOpen: true);
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

    /// <summary>Modules up to this size are always compressed (sampling would cost about as much as compressing).</summary>
    internal const long SampledFrom = 1024 * 1024;

    private const int SampleCount = 4;
    private const int SampleSize = 64 * 1024;

    /// <summary>
    /// <see cref="CompressionLevel.Fastest"/>, or <see cref="CompressionLevel.NoCompression"/> when four 64 KiB samples
    /// spread over a module larger than 1 MiB shrink by less than 10 % — a pure function of the module's bytes.
    /// </summary>
    internal static async Task<CompressionLevel> ChooseLevelAsync(string wasmPath, CancellationToken cancellationToken)
    {
        var file = new FileStream(wasmPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.RandomAccess);
        await using (file.ConfigureAwait(false))
        {
            var length = file.Length;
            if (length <= SampledFrom)
            {
                return CompressionLevel.Fastest;
            }

            var sample = new byte[SampleSize];
            var counter = new CountingStream();
            var gzip = new GZipStream(counter, CompressionLevel.Fastest, leaveOpen: true);
            long read = 0;
            await using (gzip.ConfigureAwait(false))
            {
                for (var i = 0; i < SampleCount; i++)
                {
                    file.Position = (length - SampleSize) / (SampleCount - 1) * i;
                    var n = await file.ReadAtLeastAsync(sample, SampleSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    await gzip.WriteAsync(sample.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    read += n;
                }
            }

            return counter.Count * 10 >= read * 9 ? CompressionLevel.NoCompression : CompressionLevel.Fastest;
        }
    }

    /// <summary>Counts and discards what is written.</summary>
    private sealed class CountingStream : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position
        {
            get => Count;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Count += count;

        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Count += count;
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>What <see cref="ImageLayerWriter"/> wrote.</summary>
/// <param name="Digest">The digest of the gzip bytes.</param>
/// <param name="Size">The number of gzip bytes.</param>
/// <param name="DiffId">The digest of the uncompressed tar.</param>
/// <param name="WasmSha256">The digest of the module.</param>
/// <param name="WasmSize">The module's size.</param>
internal readonly record struct ImageLayer(Digest Digest, long Size, Digest DiffId, Digest WasmSha256, long WasmSize);
