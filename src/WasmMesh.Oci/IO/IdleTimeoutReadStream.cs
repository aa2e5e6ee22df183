namespace WasmMesh.Oci;

/// <summary>
/// A read-only stream whose every read must make progress within an idle timeout: a read that receives nothing for
/// that long is cancelled and fails with the error <c>timedOut</c> creates. A slow but steady body is not affected.
/// Every response body a source reads (object URLs, registry manifests, blobs, tokens, referrers) passes through it.
/// </summary>
internal sealed class IdleTimeoutReadStream(Stream source, TimeSpan idleTimeout, Func<Exception, Exception> timedOut) : ReadOnlyStreamBase
{
    /// <summary>A synchronous read is passed through (sources read asynchronously, which the timeout covers).</summary>
    public override int Read(Span<byte> buffer) => source.Read(buffer);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (idleTimeout == Timeout.InfiniteTimeSpan)
        {
            return await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout);
        try
        {
            return await source.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw timedOut(ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            source.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await source.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
