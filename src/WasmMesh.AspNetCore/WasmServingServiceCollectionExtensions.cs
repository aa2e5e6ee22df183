using Microsoft.Extensions.DependencyInjection.Extensions;
using WasmMesh.AspNetCore;
using WasmMesh.Sources;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the services of the <c>/wasm/{sha256}</c> endpoint.</summary>
public static class WasmServingServiceCollectionExtensions
{
    /// <summary>
    /// Adds what <c>MapWasmModules</c> needs: the module sources and cache (<c>AddWasmMeshSources</c>, if not
    /// added yet) and the endpoint's options and metrics.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the endpoint options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The sources builder, to configure the cache, sources and SSRF guard.</returns>
    public static WasmSourcesBuilder AddWasmMeshServing(this IServiceCollection services, Action<WasmServingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddWasmMeshSources();
        var options = services.AddOptions<WasmServingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(
            o => o.MemoryCacheBytes >= 0 && o.MaxMemoryCachedModuleSize >= 0,
            $"{nameof(WasmServingOptions)}.{nameof(WasmServingOptions.MemoryCacheBytes)} and {nameof(WasmServingOptions.MaxMemoryCachedModuleSize)} must not be negative")
            .ValidateOnStart();
        services.TryAddSingleton<ServingMetrics>();
        services.TryAddSingleton<ModuleMemoryCache>();
        services.AddOptions<WasmServingProtectionOptions>();
        services.TryAddSingleton<ModuleAccessGate>();
        services.TryAddSingleton<WasmModuleEndpoint>();
        return builder;
    }
}
