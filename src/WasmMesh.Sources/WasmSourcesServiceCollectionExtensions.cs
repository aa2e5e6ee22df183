using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WasmMesh.Sources;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the WasmMesh module sources, the verified module cache and the SSRF guard.</summary>
public static class WasmSourcesServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IWasmModuleProvider"/>, <see cref="IWasmModuleCache"/> and <see cref="IWasmCacheRetention"/>
    /// (singletons), their options (validated at start), the object-source HTTP client guarded against SSRF, and
    /// the OCI registry client (<c>AddWasmMeshOci</c>, unless <see cref="WasmMesh.Oci.IWasmRegistryClient"/> is registered already).
    /// The registry client takes its connect, response-header and idle-read timeouts from <see cref="WasmSourceOptions"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to configure the cache, sources and guard.</returns>
    public static WasmSourcesBuilder AddWasmMeshSources(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new WasmSourcesBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(WasmModuleProvider)))
        {
            return builder;
        }

        services.AddOptions<WasmCacheOptions>().ValidateOnStart();
        services.AddOptions<WasmSourceOptions>().ValidateOnStart();
        services.AddOptions<SsrfGuardOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WasmCacheOptions>, WasmSourcesOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WasmSourceOptions>, WasmSourcesOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SsrfGuardOptions>, WasmSourcesOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SourcesMetrics>();
        services.TryAddSingleton<WasmModuleCache>();
        services.TryAddSingleton<IWasmModuleCache>(sp => sp.GetRequiredService<WasmModuleCache>());
        services.TryAddSingleton<IWasmCacheRetention>(sp => sp.GetRequiredService<WasmModuleCache>());
        services.TryAddSingleton<ObjectSource>();
        services.TryAddSingleton<IDetachedSignatureSource, DetachedSignatureSource>();
        if (!services.Any(d => d.ServiceType == typeof(WasmMesh.Oci.IWasmRegistryClient)))
        {
            services.AddWasmMeshOci();
        }

        // Registry hosts come from user-written AutoWasm specs too: registry connections pass the same SSRF guard, and
        // registry fetches have the same connect, response-header and idle-read timeouts as object URLs.
        services.AddOptions<WasmMesh.Oci.OciClientOptions>()
            .Configure<IOptions<SsrfGuardOptions>, IOptions<WasmSourceOptions>>((oci, ssrf, sources) =>
            {
                oci.ConnectCallback ??= new SsrfGuard(ssrf.Value).ConnectAsync;
                oci.ConnectTimeout = sources.Value.ConnectTimeout;
                oci.ResponseHeaderTimeout = sources.Value.ResponseHeaderTimeout;
                oci.IdleReadTimeout = sources.Value.IdleReadTimeout;
            });
        services.TryAddSingleton<IRegistryModuleSource, OciRegistryModuleSource>();
        services.TryAddSingleton<WasmModuleProvider>();
        services.TryAddSingleton<IWasmModuleProvider>(sp => sp.GetRequiredService<WasmModuleProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CacheScrubber>());

        services.AddHttpClient(ObjectSource.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("WasmMesh/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var guard = new SsrfGuard(sp.GetRequiredService<IOptions<SsrfGuardOptions>>().Value);
                var sources = sp.GetRequiredService<IOptions<WasmSourceOptions>>().Value;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    ConnectTimeout = sources.ConnectTimeout,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = guard.ConnectAsync,
                };
            })
            .RemoveAllLoggers();
        return builder;
    }

    /// <summary>Adds the module sources and cache with the cache options set by <paramref name="configureCache"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureCache">Sets the cache options.</param>
    /// <returns>A builder to configure the sources and guard further.</returns>
    public static WasmSourcesBuilder AddWasmMeshSources(this IServiceCollection services, Action<WasmCacheOptions> configureCache)
    {
        ArgumentNullException.ThrowIfNull(configureCache);
        return services.AddWasmMeshSources().ConfigureCache(configureCache);
    }
}
