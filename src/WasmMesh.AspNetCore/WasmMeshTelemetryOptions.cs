namespace WasmMesh.AspNetCore;

/// <summary>
/// How the WasmMesh meters and activity sources are exported through OpenTelemetry
/// (see <see cref="Microsoft.Extensions.DependencyInjection.WasmMeshTelemetryServiceCollectionExtensions"/>).
/// </summary>
public sealed class WasmMeshTelemetryOptions
{
    /// <summary>The <c>service.name</c> resource attribute. Default <c>wasmmesh</c>.</summary>
    public string ServiceName { get; set; } = "wasmmesh";

    /// <summary>
    /// The OTLP collector to send traces and metrics to, e.g. <c>http://otel-collector:4317</c> (gRPC) or
    /// <c>http://otel-collector:4318</c> (with <see cref="OtlpHttpProtobuf"/>). Default none: no OTLP export, unless the
    /// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable is set.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Send OTLP as HTTP/protobuf (port 4318, paths <c>/v1/traces</c>, <c>/v1/metrics</c>) instead of gRPC. Default false.</summary>
    public bool OtlpHttpProtobuf { get; set; }

    /// <summary>Whether traces are recorded at all (the activity sources around fetch, verify, reconcile and serve). Default true.</summary>
    public bool Tracing { get; set; } = true;

    /// <summary>Whether OTLP export is configured, by <see cref="OtlpEndpoint"/> or by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    internal bool ExportsOtlp => OtlpEndpoint is not null || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
}
