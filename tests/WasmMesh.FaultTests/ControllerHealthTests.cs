using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WasmMesh.Controllers;

namespace WasmMesh.FaultTests;

/// <summary>Fault 8 (controller health): a failed controller source shows in controller health; readiness does not depend on it.</summary>
public sealed class ControllerHealthTests(FaultMesh fixture)
{
    [Fact]
    public async Task FailedSource_ReportsThatControllerUnhealthy_OthersStayHealthy()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var controllers = builder.Services.AddWasmMeshControllers().UseInMemoryLeaderLock();
        controllers.AddController<NoopReconciler>("broken")
            .AddSource((_, _, _) => Task.FromException(new InvalidOperationException("the watch of widgets is forbidden")));
        controllers.AddController<NoopReconciler>("fine")
            .AddSource(async (_, controller, cancellationToken) =>
            {
                controller.Enqueue(new ObjectKey("default", "one"));
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            });
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var manager = host.Services.GetRequiredService<IControllerManager>();
            var health = await Poll.UntilAsync(
                () => Task.FromResult(manager.CheckHealth() is { } h && h.All(c => c.State != ControllerState.WaitingForCaches) && h[0].State == ControllerState.SourceFailed ? h : null),
                "the broken controller to report its failed source");
            Assert.False(health[0].IsHealthy);
            Assert.Contains("the watch of widgets is forbidden", health[0].Detail, StringComparison.Ordinal);
            Assert.Equal(ControllerState.Running, health[1].State);
            Assert.True(health[1].IsHealthy);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Wasmer_ReportsControllerHealthSeparatelyFromReadiness()
    {
        var env = await fixture.GetAsync();
        await Poll.UntilAsync(() => env.Wasmer.IsLeaderAsync(), "the shared wasmer to lead", diagnostics: env.Diagnostics);
        using var health = await env.Wasmer.Http.GetAsync(new Uri("/healthz/controllers", UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.StartsWith("autowasm: ok (Running)", text, StringComparison.Ordinal);
        using var live = await env.Wasmer.Http.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private sealed class NoopReconciler : IReconciler
    {
        public Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken) => Task.FromResult(ReconcileResult.Done);
    }
}
