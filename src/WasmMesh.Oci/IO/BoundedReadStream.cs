namespace WasmMesh.Oci;

/// <summary>
/// Reads an inner stream. In <c>truncate</c> mode it stops after <c>length</c> bytes (an upload chunk);
/// otherwise it throws <see cref="SizeLimitExceededException"/> past <c>length</c> bytes (decompression bombs).
/// Optionally reports progress.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long length, bool truncate, string subject, bool leaveOpen, Action<long>? progress = null) : ReadOnlyStreamBase
{
    private long _read;

    public long BytesRead => _read;

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(Clip(buffer));
        return Account(n);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(Clip(buffer), cancellationToken).ConfigureAwait(false);
        return Account(n);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!leaveOpen)
        {
            await inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private Span<byte> Clip(Span<byte> buffer)
    {
        var left = length - _read;
        return truncate && buffer.Length > left ? buffer[..(int)Math.Max(0, left)] : buffer;
    }

    private Memory<byte> Clip(Memory<byte> buffer)
    {
        var left = length - _read;
        return truncate && buffer.Length > left ? buffer[..(int)Math.Max(0, left)] : buffer;
    }

    private int Account(int n)
    {
        _read += n;
        if (!truncate && _read > length)
        {
            throw new SizeLimitExceededException(length, subject);
        }

        if (n > 0)
        {
            progress?.Invoke(n);
        }

        return n;
    }
}
