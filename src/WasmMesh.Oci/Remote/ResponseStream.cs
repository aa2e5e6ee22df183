using System.Net.Http;

namespace WasmMesh.Oci;

/// <summary>
/// A response body stream that disposes its response and reports a connection broken mid-body as
/// <see cref="RegistryUnreachableException"/>.
/// </summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream inner, string registry, string subject) : ReadOnlyStreamBase
{
    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Broken(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Broken(e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }

    private RegistryUnreachableException Broken(Exception e)
        => new(registry, $"the connection broke while reading {subject} ({RegistrySession.Describe(e)})", e);
}
