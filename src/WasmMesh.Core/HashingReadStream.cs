using System.Security.Cryptography;

namespace WasmMesh;

/// <summary>
/// A read-only stream that hashes what passes through it, enforces a size limit while reading, and —
/// when an expected digest is given — throws <see cref="DigestMismatchException"/> at end of stream if
/// the content does not match. Nothing is buffered beyond the caller's own buffer.
/// </summary>
public sealed class HashingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _hasher;
    private readonly string _algorithm;
    private readonly Digest? _expected;
    private readonly long _maxLength;
    private readonly string _subject;
    private Digest? _actual;
    private long _read;

    /// <summary>How to raise the limit, quoted in <see cref="SizeLimitExceededException"/> when the caller has a setting for it.</summary>
    public string? LimitRemedy { get; init; }

    /// <summary>Wraps a stream.</summary>
    /// <param name="inner">The stream to read.</param>
    /// <param name="subject">What is read, for error messages (no credentials).</param>
    /// <param name="expected">The digest the content must have; <see langword="null"/> to only compute it.</param>
    /// <param name="maxLength">The most bytes that may be read before <see cref="SizeLimitExceededException"/>.</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="inner"/> open.</param>
    public HashingReadStream(Stream inner, string subject, Digest? expected = null, long maxLength = long.MaxValue, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        _inner = inner;
        _subject = subject;
        _expected = expected;
        _maxLength = maxLength;
        _leaveOpen = leaveOpen;
        _algorithm = expected?.Algorithm ?? Digest.Sha256Algorithm;
        _hasher = Digest.CreateHasher(_algorithm);
    }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead => _read;

    /// <summary>The digest of everything read, available once the end of the stream was reached.</summary>
    public Digest? ComputedDigest => _actual;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads the rest of the stream (discarding it) and returns the digest of the whole content.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The digest; verified against the expected one when one was given.</returns>
    public async Task<Digest> DrainAsync(CancellationToken cancellationToken = default)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (await ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return _actual!.Value;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Account(buffer[..n]);
        return n;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..n]);
        return n;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hasher.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        _hasher.Dispose();
        if (!_leaveOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Account(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            if (_actual is null)
            {
                _actual = Digest.FromHash(_algorithm, _hasher.GetHashAndReset());
                if (_expected is { } expected && expected != _actual.Value)
                {
                    throw new DigestMismatchException(expected, _actual.Value, _subject);
                }
            }

            return;
        }

        _read += data.Length;
        if (_read > _maxLength)
        {
            throw new SizeLimitExceededException(_maxLength, _subject, remedy: LimitRemedy);
        }

        _hasher.AppendData(data);
    }
}
