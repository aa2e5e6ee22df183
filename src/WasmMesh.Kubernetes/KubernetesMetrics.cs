using System.Diagnostics.Metrics;

namespace WasmMesh.Kubernetes;

/// <summary>Metrics of the Kubernetes client (<c>Meter</c> <c>WasmMesh.Kubernetes</c>).</summary>
internal static class KubernetesMetrics
{
    public const string MeterName = "WasmMesh.Kubernetes";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>API requests by method and HTTP status code.</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("wasmmesh.kubernetes.requests", unit: "{request}", description: "Kubernetes API requests by method and status code.");

    /// <summary>Full lists run by informers (initial sync and relists after 410 Gone).</summary>
    public static readonly Counter<long> InformerLists = Meter.CreateCounter<long>("wasmmesh.kubernetes.informer.lists", unit: "{list}", description: "Informer lists (initial and after 410 Gone).");

    /// <summary>Watches re-established by informers after they ended, dropped or went silent.</summary>
    public static readonly Counter<long> InformerWatchRestarts = Meter.CreateCounter<long>("wasmmesh.kubernetes.informer.watch_restarts", unit: "{watch}", description: "Informer watches re-established.");
}
