namespace WasmMesh.Oci;

/// <summary>A response body stream that disposes its response.</summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream inner) : ReadOnlyStreamBase
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => inner.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
