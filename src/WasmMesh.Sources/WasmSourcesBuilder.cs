using Microsoft.Extensions.DependencyInjection;

namespace WasmMesh.Sources;

/// <summary>Configures the module sources, cache and SSRF guard added by <c>AddWasmMeshSources</c>.</summary>
public sealed class WasmSourcesBuilder
{
    internal WasmSourcesBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Configures the cache (directory, size budget, startup verification).</summary>
    /// <param name="configure">Sets options.</param>
    /// <returns>This builder.</returns>
    public WasmSourcesBuilder ConfigureCache(Action<WasmCacheOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Configures the sources (size limit, timeouts, redirects, proxy-wasm ABI requirement).</summary>
    /// <param name="configure">Sets options.</param>
    /// <returns>This builder.</returns>
    public WasmSourcesBuilder ConfigureSources(Action<WasmSourceOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Configures the SSRF guard of object sources.</summary>
    /// <param name="configure">Sets options.</param>
    /// <returns>This builder.</returns>
    public WasmSourcesBuilder ConfigureSsrfGuard(Action<SsrfGuardOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Registers the resolver that maps a digest to its source, so that unknown digests are filled on demand.</summary>
    /// <typeparam name="TResolver">The resolver type, registered as a singleton.</typeparam>
    /// <returns>This builder.</returns>
    public WasmSourcesBuilder AddDigestResolver<TResolver>()
        where TResolver : class, IWasmDigestResolver
    {
        Services.AddSingleton<IWasmDigestResolver, TResolver>();
        return this;
    }
}
