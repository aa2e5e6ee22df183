using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WasmMesh.AspNetCore.Metrics;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps a Prometheus text endpoint for the WasmMesh meters.</summary>
public static class PrometheusEndpointRouteBuilderExtensions
{
    /// <summary>The Prometheus text content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Registers the collector (listening to <c>WasmMesh.*</c> meters) as a singleton.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddWasmMeshPrometheusMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(_ => new PrometheusMetricsCollector("WasmMesh."));
        // Created at start, not at the first scrape, so that nothing measured before it is lost.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, PrometheusCollectorStarter>());
        return services;
    }

    /// <summary>Maps <c>GET {pattern}</c> (default <c>/metrics</c>) to the Prometheus text of the WasmMesh meters.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route.</param>
    /// <returns>The endpoint builder.</returns>
    public static IEndpointConventionBuilder MapWasmMeshPrometheusMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(pattern, (PrometheusMetricsCollector collector) => Results.Text(collector.Render(), ContentType));
    }
}
