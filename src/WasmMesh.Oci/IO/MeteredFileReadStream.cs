using System.Security.Cryptography;

namespace WasmMesh.Oci;

/// <summary>
/// Reads a file stream from start to end, hashing (SHA-256) and counting what passes through and reporting progress.
/// Length is the inner stream's so that writers that size an entry up front (tar) can use it; it cannot seek.
/// </summary>
internal sealed class MeteredFileReadStream(Stream inner, Action<long>? progress = null) : ReadOnlyStreamBase
{
    private readonly IncrementalHash _hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    public override bool CanSeek => inner.CanSeek;

    public override long Length => inner.Length;

    public override long Position
    {
        get => BytesRead;
        set
        {
            if (value != BytesRead)
            {
                throw new NotSupportedException();
            }
        }
    }

    /// <summary>The digest of every byte read so far.</summary>
    public Digest GetDigest() => Digest.FromHash(Digest.Sha256Algorithm, _hasher.GetCurrentHash());

    public override int Read(Span<byte> buffer) => Account(buffer, inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span, n);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => BytesRead + offset,
            _ => inner.Length + offset,
        };
        return target == BytesRead ? BytesRead : throw new NotSupportedException();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hasher.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> buffer, int n)
    {
        _hasher.AppendData(buffer[..n]);
        BytesRead += n;
        if (n > 0)
        {
            progress?.Invoke(n);
        }

        return n;
    }
}
