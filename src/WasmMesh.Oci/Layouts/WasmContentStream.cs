using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace WasmMesh.Oci;

/// <summary>
/// The module bytes of a pulled layer, streamed: raw layer bytes, or the <c>plugin.wasm</c> entry of a tar(.gz)
/// layer. The wasm magic is checked before the stream is handed out; the layer's digest is verified before the
/// end of the stream is reported (for archives, the rest of the layer is read first); the module's size is
/// limited while reading; the module's sha256 is computed on the way.
/// </summary>
internal sealed class WasmContentStream : ReadOnlyStreamBase
{
    private readonly HashingReadStream _blob;
    private readonly Stream _source;
    private readonly IDisposable[] _owned;
    private readonly IncrementalHash? _hasher;
    private readonly long _limit;
    private readonly string _subject;
    private readonly byte[] _prefix;
    private int _prefixPosition;
    private long _read;
    private Digest? _sha256;
    private bool _ended;

    private WasmContentStream(HashingReadStream blob, Stream source, IDisposable[] owned, byte[] prefix, Digest? knownSha256, long limit, string subject, long? length)
    {
        _blob = blob;
        _source = source;
        _owned = owned;
        _prefix = prefix;
        _limit = limit;
        _subject = subject;
        _sha256 = knownSha256;
        ContentLength = length;
        if (knownSha256 is null)
        {
            _hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            _hasher.AppendData(prefix);
        }

        _read = prefix.Length;
    }

    /// <summary>The module's length when known in advance (raw layer size, or the tar entry's size).</summary>
    public long? ContentLength { get; }

    /// <summary>The module's sha256: known at once for raw sha256 layers, else once the end was read.</summary>
    public Digest? Sha256 => _ended || _hasher is null ? _sha256 : null;

    /// <summary>Module bytes read so far.</summary>
    public long BytesRead => _read - (_prefix.Length - _prefixPosition);

    /// <summary>The most file names an archive's description lists.</summary>
    private const int MaxListedNames = 12;

    /// <summary>
    /// Opens the module at one place of a manifest. Returns no stream, and what the place held instead, when an archive
    /// holds no <c>plugin.wasm</c> or a probed file is not a module; <paramref name="blob"/> is disposed then.
    /// </summary>
    public static async Task<(WasmContentStream? Stream, string? Found)> TryOpenAsync(HashingReadStream blob, LayoutMatch match, long limit, string subject, CancellationToken cancellationToken)
    {
        var owned = new List<IDisposable>();
        try
        {
            Stream source = blob;
            long? length = match.Layer.Size;
            Digest? known = match.Layer.Digest.Algorithm == Digest.Sha256Algorithm ? match.Layer.Digest : null;
            if (match.IsArchive)
            {
                known = null;
                Stream archive = blob;
                if (match.IsGzip)
                {
                    archive = new GZipStream(blob, CompressionMode.Decompress, leaveOpen: true);
                    owned.Add(archive);
                }

                // Bounds everything decompressed ahead of and including plugin.wasm (decompression bombs).
                var bounded = new BoundedReadStream(archive, (2 * limit) + (1024 * 1024), false, subject, leaveOpen: true);
                owned.Add(bounded);
                var reader = new TarReader(bounded, leaveOpen: true);
                owned.Add(reader);
                var names = new List<string>();
                var total = 0;
                TarEntry? entry;
                while (true)
                {
                    try
                    {
                        entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
                    {
                        return (Dispose(owned, blob), $"not a valid tar{(match.IsGzip ? ".gz" : string.Empty)} archive ({e.Message.TrimEnd('.')})");
                    }

                    if (entry is null)
                    {
                        var listed = total == 0 ? "no files" : $"files {string.Join(", ", names)}{(total > names.Count ? $" and {total - names.Count} more" : string.Empty)}";
                        return (Dispose(owned, blob), $"{listed}, no {LayoutDetector.PluginFileName}");
                    }

                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    {
                        var name = entry.Name.TrimEnd('/');
                        if (Path.GetFileName(name) == LayoutDetector.PluginFileName)
                        {
                            break;
                        }

                        total++;
                        if (names.Count < MaxListedNames)
                        {
                            names.Add(name.Length > 80 ? string.Concat(name.AsSpan(0, 80), "…") : name);
                        }
                    }
                }

                if (entry.Length > limit)
                {
                    throw new SizeLimitExceededException(limit, subject, entry.Length);
                }

                source = entry.DataStream ?? Stream.Null;
                length = entry.Length;
            }

            var prefix = new byte[WasmModuleInspector.HeaderLength];
            var n = await source.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (!WasmModuleInspector.HasWasmHeader(prefix.AsSpan(0, n)))
            {
                if (match.Probe)
                {
                    return (Dispose(owned, blob), n == 0 ? "an empty file" : $"a file starting with {Convert.ToHexString(prefix, 0, Math.Min(n, 4))}, not the wasm magic 0061736D");
                }

                throw new InvalidWasmModuleException(subject, "it does not start with the WebAssembly magic 00 61 73 6d and version 01 00 00 00", 0);
            }

            return (new WasmContentStream(blob, source, [.. owned], prefix, known, limit, subject, length), null);
        }
        catch
        {
            Dispose(owned, blob);
            throw;
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (TryReadPrefix(buffer, out var fromPrefix))
        {
            return fromPrefix;
        }

        if (_ended || buffer.Length == 0)
        {
            return 0;
        }

        var n = _source.Read(buffer);
        if (n == 0)
        {
            if (!ReferenceEquals(_source, _blob))
            {
                var scratch = new byte[81920];
                while (_blob.Read(scratch) > 0)
                {
                }
            }

            Finish();
            return 0;
        }

        Account(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TryReadPrefix(buffer.Span, out var fromPrefix))
        {
            return fromPrefix;
        }

        if (_ended || buffer.Length == 0)
        {
            return 0;
        }

        var n = await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            if (!ReferenceEquals(_source, _blob))
            {
                // Read the rest of the layer so that its digest is verified before the end is reported.
                await _blob.DrainAsync(cancellationToken).ConfigureAwait(false);
            }

            Finish();
            return 0;
        }

        Account(buffer.Span[..n]);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hasher?.Dispose();
            for (var i = _owned.Length - 1; i >= 0; i--)
            {
                _owned[i].Dispose();
            }

            _blob.Dispose();
        }

        base.Dispose(disposing);
    }

    private static WasmContentStream? Dispose(List<IDisposable> owned, HashingReadStream blob)
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            owned[i].Dispose();
        }

        owned.Clear();
        blob.Dispose();
        return null;
    }

    private bool TryReadPrefix(Span<byte> buffer, out int count)
    {
        count = 0;
        if (_prefixPosition >= _prefix.Length || buffer.Length == 0)
        {
            return false;
        }

        count = Math.Min(buffer.Length, _prefix.Length - _prefixPosition);
        _prefix.AsSpan(_prefixPosition, count).CopyTo(buffer);
        _prefixPosition += count;
        return true;
    }

    private void Account(ReadOnlySpan<byte> data)
    {
        _read += data.Length;
        if (_read > _limit)
        {
            throw new SizeLimitExceededException(_limit, _subject);
        }

        _hasher?.AppendData(data);
    }

    private void Finish()
    {
        if (_hasher is not null && _sha256 is null)
        {
            _sha256 = Digest.FromHash(Digest.Sha256Algorithm, _hasher.GetHashAndReset());
        }

        _ended = true;
    }
}
