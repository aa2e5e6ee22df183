using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WasmMesh.Sources.Tests.Infrastructure;

/// <summary>A service provider holding the sources and cache over a cache directory, as a host would build it.</summary>
public sealed class SourcesHost : IAsyncDisposable
{
    private SourcesHost(ServiceProvider services, string cacheDirectory)
    {
        Services = services;
        CacheDirectory = cacheDirectory;
    }

    public ServiceProvider Services { get; }

    public string CacheDirectory { get; }

    public string ModulesDirectory => Path.Combine(CacheDirectory, "sha256");

    public IWasmModuleProvider Provider => Services.GetRequiredService<IWasmModuleProvider>();

    public IWasmModuleCache Cache => Services.GetRequiredService<IWasmModuleCache>();

    public IMeterFactory MeterFactory => Services.GetRequiredService<IMeterFactory>();

    /// <summary>Builds a host. Loopback is allowed (the upstream runs on 127.0.0.1); timeouts are short.</summary>
    public static SourcesHost Create(
        string cacheDirectory,
        Action<WasmSourcesBuilder>? configure = null,
        TimeProvider? time = null,
        IWasmDigestResolver? resolver = null,
        Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        collection.AddMetrics();
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        if (resolver is not null)
        {
            collection.AddSingleton(resolver);
        }

        services?.Invoke(collection);
        var builder = collection.AddWasmMeshSources(o => o.Directory = cacheDirectory)
            .ConfigureSsrfGuard(o => o.BlockLoopback = false)
            .ConfigureSources(o => o.Timeout = TimeSpan.FromSeconds(10));
        configure?.Invoke(builder);
        return new SourcesHost(collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), cacheDirectory);
    }

    /// <summary>Every file under the modules directory (module files and leftovers).</summary>
    public string[] ModuleFiles() => Directory.Exists(ModulesDirectory) ? Directory.GetFiles(ModulesDirectory) : [];

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
