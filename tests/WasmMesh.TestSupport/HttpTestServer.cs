using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WasmMesh.TestSupport;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a free port, serving whatever each test maps (an upstream, an object
/// store); it counts requests per path and answers 404 for anything unmapped.
/// </summary>
public sealed class HttpTestServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private HttpTestServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<HttpTestServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        HttpTestServer? upstream = null;
        app.Run(context => upstream!.HandleAsync(context));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream = new HttpTestServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return upstream;
    }

    public Uri Url(string pathAndQuery) => new(BaseUri, pathAndQuery);

    public int Hits(string path) => _hits.TryGetValue(path, out var n) ? n : 0;

    public int TotalHits => _hits.Values.Sum();

    /// <summary>Publishes bytes at a path (GET and HEAD) and returns their URL, like an object store.</summary>
    public Uri Publish(string path, byte[] content)
    {
        path = "/" + path.TrimStart('/');
        Map(path, async context =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }

            context.Response.ContentType = "application/wasm";
            context.Response.ContentLength = content.Length;
            if (HttpMethods.IsGet(context.Request.Method))
            {
                await context.Response.Body.WriteAsync(content, context.RequestAborted);
            }
        });
        return new Uri(BaseUri, path);
    }

    /// <summary>How many requests a published path received.</summary>
    public int Requests(string path) => Hits("/" + path.TrimStart('/'));

    public void Map(string path, RequestDelegate handler) => _routes[path] = handler;

    public void Serve(string path, byte[] body, Task? gate = null, bool chunked = false) => Map(path, async context =>
    {
        if (gate is not null)
        {
            await gate.WaitAsync(context.RequestAborted);
        }

        context.Response.ContentType = "application/wasm";
        if (!chunked)
        {
            context.Response.ContentLength = body.Length;
        }

        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    });

    public void Redirect(string path, string location, int status = StatusCodes.Status302Found) => Map(path, context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _hits.AddOrUpdate(path, 1, static (_, n) => n + 1);
        if (_routes.TryGetValue(path, out var handler))
        {
            return handler(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
