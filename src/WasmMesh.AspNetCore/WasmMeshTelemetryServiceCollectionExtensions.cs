using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WasmMesh.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Exports the WasmMesh meters (<c>WasmMesh.*</c>) and activity sources through OpenTelemetry: metrics to the
/// Prometheus exporter (scraped at <c>/metrics</c>, see <see cref="MapWasmMeshMetrics"/>) and, when configured, metrics
/// and traces over OTLP.
/// </summary>
public static class WasmMeshTelemetryServiceCollectionExtensions
{
    /// <summary>Every WasmMesh meter and activity source is named <c>WasmMesh.&lt;package&gt;</c>.</summary>
    public const string InstrumentationPrefix = "WasmMesh.*";

    /// <summary>
    /// Histogram bucket boundaries, per instrument: each histogram gets buckets that fit what it measures.
    /// Keys are instrument names; values are upper bounds in the instrument's unit (seconds).
    /// </summary>
    public static IReadOnlyDictionary<string, double[]> HistogramBuckets { get; } = new Dictionary<string, double[]>(StringComparer.Ordinal)
    {
        // A reconcile reads from caches and writes one object: milliseconds usually, seconds when it waits on a fetch.
        ["wasmmesh.controller.reconcile.duration"] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        // An upstream fetch downloads a module (up to hundreds of MiB) over the network: tens of ms to minutes.
        ["wasmmesh.sources.fetch.duration"] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    };

    /// <summary>
    /// Adds OpenTelemetry metrics (Prometheus exporter, explicit buckets per histogram) and tracing for every WasmMesh
    /// package; traces and metrics also go over OTLP when <see cref="WasmMeshTelemetryOptions.OtlpEndpoint"/> or
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Idempotent: a second call changes nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddWasmMeshTelemetry(this IServiceCollection services, Action<WasmMeshTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(TelemetryMarker)))
        {
            return services;
        }

        services.TryAddSingleton<TelemetryMarker>();
        var options = new WasmMeshTelemetryOptions();
        configure?.Invoke(options);
        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            throw new ArgumentException("WasmMeshTelemetryOptions.ServiceName must not be empty (it is the service.name resource attribute)", nameof(configure));
        }

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(InstrumentationPrefix);
                foreach (var (instrument, boundaries) in HistogramBuckets)
                {
                    metrics.AddView(instrument, new ExplicitBucketHistogramConfiguration { Boundaries = boundaries });
                }

                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (options.ExportsOtlp)
                {
                    metrics.AddOtlpExporter(o => ConfigureOtlp(o, options, "v1/metrics"));
                }
            });
        if (options.Tracing)
        {
            builder.WithTracing(tracing =>
            {
                tracing.AddSource(InstrumentationPrefix);
                if (options.ExportsOtlp)
                {
                    tracing.AddOtlpExporter(o => ConfigureOtlp(o, options, "v1/traces"));
                }
            });
        }

        return services;
    }

    /// <summary>Maps <c>GET {pattern}</c> (default <c>/metrics</c>) to the Prometheus exposition of the WasmMesh meters.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route.</param>
    /// <returns>The endpoint builder.</returns>
    public static IEndpointConventionBuilder MapWasmMeshMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPrometheusScrapingEndpoint(pattern);
    }

    private static void ConfigureOtlp(OtlpExporterOptions otlp, WasmMeshTelemetryOptions options, string signalPath)
    {
        if (options.OtlpHttpProtobuf)
        {
            otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
        }

        if (options.OtlpEndpoint is { } endpoint)
        {
            // With HTTP/protobuf an explicit endpoint is the full signal URL; gRPC takes the collector's base address.
            otlp.Endpoint = options.OtlpHttpProtobuf ? new Uri(endpoint, signalPath) : endpoint;
        }
    }

    private sealed class TelemetryMarker;
}
