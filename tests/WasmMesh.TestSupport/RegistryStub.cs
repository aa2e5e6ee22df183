using System.Collections.Concurrent;
using System.Net;

namespace WasmMesh.TestSupport;

/// <summary>
/// A fake registry that serves fixed manifests and blobs — possibly not matching their digests or sizes — to
/// test that clients refuse tampered content. Plain HTTP on 127.0.0.1.
/// </summary>
public sealed class RegistryStub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string ContentType, byte[] Body, int Status)> _routes = new(StringComparer.Ordinal);
    private readonly RegistryHttpListener _listener;

    private RegistryStub()
    {
        _listener = RegistryHttpListener.Start(HandleAsync);
    }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Host => _listener.Host;

    /// <summary>Every request as <c>METHOD /path</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Bytes of blob bodies actually sent.</summary>
    public long BlobBytesSent => Interlocked.Read(ref _blobBytesSent);

    private long _blobBytesSent;

    /// <summary>Starts an empty stub.</summary>
    public static RegistryStub Start() => new();

    /// <summary>Serves a manifest at <c>/v2/{repository}/manifests/{reference}</c>.</summary>
    public void AddManifest(string repository, string reference, string mediaType, byte[] body)
        => _routes[$"/v2/{repository}/manifests/{reference}"] = (mediaType, body, 200);

    /// <summary>Serves a blob at <c>/v2/{repository}/blobs/{digest}</c> (the body need not match the digest).</summary>
    public void AddBlob(string repository, string digest, byte[] body)
        => _routes[$"/v2/{repository}/blobs/{digest}"] = ("application/octet-stream", body, 200);

    /// <summary>Serves anything at a path.</summary>
    public void Add(string path, int status, string contentType, byte[] body) => _routes[path] = (contentType, body, status);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        Requests.Enqueue($"{context.Request.HttpMethod} {path}");
        if (path == "/v2/")
        {
            context.Response.StatusCode = 200;
            return;
        }

        if (!_routes.TryGetValue(path, out var route))
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"u8.ToArray());
            return;
        }

        context.Response.StatusCode = route.Status;
        context.Response.ContentType = route.ContentType;
        context.Response.ContentLength64 = route.Body.Length;
        if (context.Request.HttpMethod == "HEAD")
        {
            return;
        }

        var isBlob = path.Contains("/blobs/", StringComparison.Ordinal);
        for (var offset = 0; offset < route.Body.Length; offset += 65536)
        {
            var n = Math.Min(65536, route.Body.Length - offset);
            await context.Response.OutputStream.WriteAsync(route.Body.AsMemory(offset, n));
            if (isBlob)
            {
                Interlocked.Add(ref _blobBytesSent, n);
            }
        }
    }
}
