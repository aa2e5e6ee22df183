using Microsoft.Extensions.Hosting;

namespace WasmMesh.AspNetCore.Metrics;

/// <summary>Resolves the collector when the host starts so that it listens from the first measurement.</summary>
internal sealed class PrometheusCollectorStarter(PrometheusMetricsCollector collector) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(collector);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
