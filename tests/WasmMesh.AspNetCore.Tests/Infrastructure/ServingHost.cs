using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WasmMesh.AspNetCore;
using WasmMesh.Sources;

namespace WasmMesh.AspNetCore.Tests.Infrastructure;

/// <summary>A real Kestrel host on 127.0.0.1 and a free port serving <c>/wasm/{sha256}</c> from a cache directory.</summary>
public sealed class ServingHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServingHost(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
        Client = new HttpClient { BaseAddress = baseUri };
    }

    public Uri BaseUri { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public IWasmModuleCache Cache => Services.GetRequiredService<IWasmModuleCache>();

    public IWasmModuleProvider Provider => Services.GetRequiredService<IWasmModuleProvider>();

    public IMeterFactory MeterFactory => Services.GetRequiredService<IMeterFactory>();

    public static async Task<ServingHost> StartAsync(string cacheDirectory, IWasmDigestResolver? resolver = null, Action<WasmServingOptions>? configure = null, Action<IServiceCollection>? services = null, Action<WebApplication>? endpoints = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        if (resolver is not null)
        {
            builder.Services.AddSingleton(resolver);
        }

        builder.Services.AddWasmMeshServing(configure)
            .ConfigureCache(o => o.Directory = cacheDirectory)
            .ConfigureSsrfGuard(o => o.BlockLoopback = false)
            .ConfigureSources(o => o.Timeout = TimeSpan.FromSeconds(10));
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapWasmModules();
        endpoints?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServingHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
