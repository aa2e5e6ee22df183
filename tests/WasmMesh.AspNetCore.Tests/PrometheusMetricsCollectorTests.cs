using System.Diagnostics.Metrics;
using WasmMesh.AspNetCore.Metrics;
using Xunit;

namespace WasmMesh.AspNetCore.Tests;

public sealed class PrometheusMetricsCollectorTests
{
    [Fact]
    public void Render_CountersGaugesAndHistograms_InPrometheusTextFormat()
    {
        var meterName = "WasmMesh.Test." + Guid.NewGuid().ToString("N");
        using var collector = new PrometheusMetricsCollector(meterName);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("wasmmesh.test.requests", description: "Requests served.");
        var histogram = meter.CreateHistogram<double>("wasmmesh.test.duration");
        var level = 7;
        meter.CreateObservableGauge("wasmmesh.test.level", () => level);

        counter.Add(2, new KeyValuePair<string, object?>("code", 200));
        counter.Add(3, new KeyValuePair<string, object?>("code", 200));
        counter.Add(1, new KeyValuePair<string, object?>("code", "4\"04"));
        histogram.Record(0.003);
        histogram.Record(2);

        var text = collector.Render();

        Assert.Contains("# HELP wasmmesh_test_requests_total Requests served.\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE wasmmesh_test_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("wasmmesh_test_requests_total{code=\"200\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("wasmmesh_test_requests_total{code=\"4\\\"04\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE wasmmesh_test_duration histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("wasmmesh_test_duration_bucket{le=\"0.005\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("wasmmesh_test_duration_bucket{le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("wasmmesh_test_duration_count 2\n", text, StringComparison.Ordinal);
        Assert.Contains("wasmmesh_test_level 7\n", text, StringComparison.Ordinal);

        level = 9;
        Assert.Contains("wasmmesh_test_level 9\n", collector.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OtherMeters_AreNotCollected()
    {
        using var collector = new PrometheusMetricsCollector("WasmMesh.Only." + Guid.NewGuid().ToString("N"));
        using var meter = new Meter("Other.Meter");
        meter.CreateCounter<long>("other.count").Add(1);
        Assert.DoesNotContain("other_count", collector.Render(), StringComparison.Ordinal);
    }
}
