using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using WasmMesh.AspNetCore.Tests.Infrastructure;
using WasmMesh.Sources;
using WasmMesh.TestSupport;

namespace WasmMesh.AspNetCore.Tests;

/// <summary>/metrics through the OpenTelemetry Prometheus exporter, spans around fetch, verify and serve, and OTLP export.</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class TelemetryTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("wasmmesh-telemetry");
    private readonly List<IAsyncDisposable> _disposables = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Metrics_ServedByOpenTelemetry_WithUnitSuffixesAndPerInstrumentBuckets()
    {
        var upstream = await StartUpstreamAsync();
        var module = WasmModuleBuilder.Build(padding: 5000, seed: 11);
        var url = upstream.Publish("/m.wasm", module);
        var host = await StartHostAsync();

        var fetched = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(url), Ct);
        var body = await host.Client.GetByteArrayAsync($"/wasm/{fetched.Sha256.Hex}", Ct);
        Assert.Equal(module, body);

        using var response = await host.Client.GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        // Counters end in _total, units become suffixes (_bytes, _seconds), annotations like {request} are dropped.
        Assert.Matches(@"(?m)^wasmmesh_serving_requests_total\{[^}]*http_response_status_code=""200""[^}]*\} 1( |$)", text);
        Assert.Matches(@"(?m)^wasmmesh_serving_bytes_total(\{[^}]*\})? 5\d{3}( |$)", text);
        Assert.Matches(@"(?m)^wasmmesh_sources_fetch_bytes_total\{[^}]*\} 5\d{3}( |$)", text);
        // The fetch histogram has its own buckets (up to 300 s), not the SDK's default ones.
        Assert.Contains("# TYPE wasmmesh_sources_fetch_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^wasmmesh_sources_fetch_duration_seconds_bucket\{[^}]*le=""300""[^}]*\} 1( |$)", text);
        Assert.Matches(@"(?m)^wasmmesh_sources_fetch_duration_seconds_bucket\{[^}]*le=""0.025""[^}]*\} \d+( |$)", text);
        Assert.DoesNotMatch(@"(?m)^wasmmesh_sources_fetch_duration_seconds_bucket\{[^}]*le=""750""", text);
        Assert.DoesNotContain("False", text, StringComparison.Ordinal);
    }

    [Fact]
    public void HistogramBuckets_AreIncreasingAndDifferPerInstrument()
    {
        var buckets = WasmMeshTelemetryServiceCollectionExtensions.HistogramBuckets;
        Assert.True(buckets.Count >= 2);
        foreach (var (instrument, boundaries) in buckets)
        {
            Assert.True(boundaries.Zip(boundaries.Skip(1)).All(p => p.First < p.Second), $"{instrument}: boundaries must increase");
        }

        Assert.NotEqual(buckets["wasmmesh.controller.reconcile.duration"], buckets["wasmmesh.sources.fetch.duration"]);
    }

    [Fact]
    public async Task Traces_FetchVerifyAndServe_AreSpansOfTheirPackages()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("WasmMesh.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var upstream = await StartUpstreamAsync();
        var module = WasmModuleBuilder.Build(padding: 100, seed: 12);
        var url = upstream.Publish("/t.wasm", module);
        var host = await StartHostAsync();

        var fetched = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(url), Ct);
        Assert.True(await host.Cache.VerifyAsync(fetched.Sha256, Ct));
        await host.Client.GetByteArrayAsync($"/wasm/{fetched.Sha256.Hex}", Ct);

        var fetch = Assert.Single(spans, s => s.OperationName == "wasmmesh.fetch" && (string?)s.GetTagItem("wasmmesh.module.sha256") == fetched.Sha256.Hex);
        Assert.Equal("WasmMesh.Sources", fetch.Source.Name);
        Assert.Equal("object", fetch.GetTagItem("wasmmesh.source.kind"));
        var verify = Assert.Single(spans, s => s.OperationName == "wasmmesh.verify" && (string?)s.GetTagItem("wasmmesh.module.sha256") == fetched.Sha256.Hex);
        Assert.Equal("WasmMesh.Sources", verify.Source.Name);
        var serve = Assert.Single(spans, s => s.OperationName == "wasmmesh.serve" && (string?)s.GetTagItem("wasmmesh.module.sha256") == fetched.Sha256.Hex);
        Assert.Equal("WasmMesh.AspNetCore", serve.Source.Name);
        Assert.Equal(200, serve.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Traces_WithOtlpEndpoint_AreExportedOverOtlp()
    {
        var collector = await HttpTestServer.StartAsync(Ct);
        _disposables.Add(collector);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        collector.Map("/v1/traces", context =>
        {
            received.TrySetResult(context.Request.ContentType ?? string.Empty);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        var host = await StartHostAsync(o =>
        {
            o.OtlpEndpoint = collector.BaseUri;
            o.OtlpHttpProtobuf = true;
        });

        await host.Client.GetAsync($"/wasm/{new string('0', 64)}", Ct);
        host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);

        Assert.Equal("application/x-protobuf", await received.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public void AddWasmMeshTelemetry_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddWasmMeshTelemetry();
        var count = services.Count;
        services.AddWasmMeshTelemetry(o => o.ServiceName = "other");
        Assert.Equal(count, services.Count);
    }

    private async Task<HttpTestServer> StartUpstreamAsync()
    {
        var upstream = await HttpTestServer.StartAsync(Ct);
        _disposables.Add(upstream);
        return upstream;
    }

    private async Task<ServingHost> StartHostAsync(Action<WasmMeshTelemetryOptions>? telemetry = null)
    {
        var host = await ServingHost.StartAsync(
            _dir.Path,
            services: s => s.AddWasmMeshTelemetry(telemetry),
            endpoints: app => app.MapWasmMeshMetrics());
        _disposables.Add(host);
        return host;
    }
}

/// <summary>The meters are process-wide: the exact counts these tests read need no other test serving meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryTestGroup
{
    public const string Name = "Telemetry";
}
