namespace WasmMesh.Sources;

/// <summary>
/// A read-only stream that writes everything read from its source to a second stream, counting the bytes and
/// throwing <see cref="SizeLimitExceededException"/> past a limit.
/// </summary>
internal sealed class TeeReadStream(Stream source, Stream copy, long maxLength, string subject, string? limitRemedy = null) : Stream
{
    private long _read;

    /// <summary>Bytes read (and copied) so far.</summary>
    public long BytesRead => _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = source.Read(buffer);
        Account(n);
        if (n > 0)
        {
            copy.Write(buffer[..n]);
        }

        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(n);
        if (n > 0)
        {
            await copy.WriteAsync(buffer[..n], cancellationToken).ConfigureAwait(false);
        }

        return n;
    }

    /// <summary>Reads (and copies) the rest of the source.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
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
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Account(int n)
    {
        _read += n;
        if (_read > maxLength)
        {
            throw new SizeLimitExceededException(maxLength, subject, remedy: limitRemedy);
        }
    }
}
