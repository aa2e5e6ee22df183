using System.Collections.Concurrent;
using System.Net;

namespace WasmMesh.Oci.Tests.Remote;

/// <summary>An HTTP handler answering from a function and recording each request (with its Authorization header).</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    public ConcurrentQueue<(HttpMethod Method, Uri Uri, string? Authorization)> Requests { get; } = new();

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string contentType = "application/json")
        => new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, contentType) };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString()));
        var response = respond(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}
