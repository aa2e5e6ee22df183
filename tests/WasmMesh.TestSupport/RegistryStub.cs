using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace WasmMesh.TestSupport;

/// <summary>
/// A fake registry that serves fixed manifests and blobs — possibly not matching their digests or sizes — to
/// test that clients refuse tampered content. Plain HTTP on 127.0.0.1.
/// </summary>
public sealed class RegistryStub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string ContentType, byte[] Body, int Status)> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int SentBytes, byte[] Body)> _faults = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
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

    /// <summary>
    /// Serves a module under <paramref name="reference"/> (and its digest) as wasme and Istio write it (a <c>module.wasm.config</c> config
    /// and the module as a <c>module.wasm.content.layer</c>); returns the path of the module's blob.
    /// </summary>
    public string AddModule(string repository, string reference, byte[] wasm)
    {
        var config = "{\"type\":\"envoy_proxy\",\"abiVersions\":[\"v0-4d2c4e9\"]}"u8.ToArray();
        var configDigest = Sha256(config);
        var wasmDigest = Sha256(wasm);
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.module.wasm.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.module.wasm.content.layer.v1+wasm","digest":"{{wasmDigest}}","size":{{wasm.Length}}}]}""");
        AddManifest(repository, reference, "application/vnd.oci.image.manifest.v1+json", manifest);
        AddManifest(repository, Sha256(manifest), "application/vnd.oci.image.manifest.v1+json", manifest);
        AddBlob(repository, configDigest, config);
        AddBlob(repository, wasmDigest, wasm);
        return $"/v2/{repository}/blobs/{wasmDigest}";
    }

    /// <summary>Accepts requests to a path and never answers them (a registry that hangs), until the stub is disposed.</summary>
    public void AddHanging(string path) => _faults[path] = (-1, []);

    /// <summary>
    /// Answers requests to a path with 200, a Content-Length of the whole <paramref name="body"/> and its first
    /// <paramref name="sentBytes"/> bytes, then sends nothing more (a registry that stalls mid-body) until the stub is disposed.
    /// </summary>
    public void AddStalling(string path, byte[] body, int sentBytes) => _faults[path] = (sentBytes, body);

    /// <summary>How many requests to a path started (counting those that hang or stall).</summary>
    public int Count(string path) => Requests.Count(r => r.EndsWith(" " + path, StringComparison.Ordinal));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener.DisposeAsync();
        _stop.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        Requests.Enqueue($"{context.Request.HttpMethod} {path}");
        if (_faults.TryGetValue(path, out var fault))
        {
            await FaultAsync(context, fault.SentBytes, fault.Body);
            return;
        }

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

    private async Task FaultAsync(HttpListenerContext context, int sentBytes, byte[] body)
    {
        try
        {
            if (sentBytes >= 0)
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body.AsMemory(0, sentBytes), _stop.Token);
                await context.Response.OutputStream.FlushAsync(_stop.Token);
            }

            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // The stub is stopping.
        }
    }

    private static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
