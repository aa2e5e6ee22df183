using System.Diagnostics;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>Fault 3: a source that fails with a different message each time must not hot-loop (our status write comes back as a watch event).</summary>
public sealed class HotLoopTests(FaultMesh fixture)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task FailingSourceWithVaryingError_RetriesWithBackoff_BoundedFetchesAndStatusWrites()
    {
        var env = await fixture.GetAsync();
        var mesh = env.Mesh;
        const string ns = "fault-hotloop";
        await mesh.CreateNamespaceAsync(ns);
        var url = env.Stub.Failing("hotloop/filter.wasm");

        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var writes = 0;
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in mesh.AutoWasms.WatchAsync(ns, cancellationToken: stopWatching.Token))
                {
                    if (e.Type == k8s.WatchEventType.Modified && e.Object?.Metadata.Name == "failing")
                    {
                        Interlocked.Increment(ref writes);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, TestContext.Current.CancellationToken);

        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "failing", MeshEnvironment.ObjectSource(url)));
        var failed = await mesh.WaitForAutoWasmAsync(ns, "failing", r => r.Status?.Phase == AutoWasmPhase.Failed, "Failed", diagnostics: env.Diagnostics);
        Assert.Contains("500", failed.Status!.Message, StringComparison.Ordinal);

        var fetchesAtStart = env.Stub.Requests("hotloop/filter.wasm");
        var writesAtStart = Volatile.Read(ref writes);
        var clock = Stopwatch.StartNew();
        await Task.Delay(Window, TestContext.Current.CancellationToken);
        var fetches = env.Stub.Requests("hotloop/filter.wasm") - fetchesAtStart;
        var statusWrites = Volatile.Read(ref writes) - writesAtStart;
        var seconds = clock.Elapsed.TotalSeconds;
        await stopWatching.CancelAsync();
        await watching;
        TestContext.Current.TestOutputHelper?.WriteLine($"in {seconds:0.0} s after the first failure: {fetches} fetches, {statusWrites} status writes");

        // Before the fix: ~91 fetches and ~93 status writes per second. With the backoff (1 s doubling) a 20 s window
        // holds about 4 attempts and no status write (the message is stable); the bound leaves room for a loaded machine.
        Assert.InRange(fetches, 1, 12);
        Assert.InRange(statusWrites, 0, 4);
        var latest = await mesh.AutoWasms.GetAsync(ns, "failing", TestContext.Current.CancellationToken);
        Assert.Equal(AutoWasmPhase.Failed, latest.Status!.Phase);
        Assert.DoesNotContain("/var/tmp/upload-", latest.Status.Message, StringComparison.Ordinal);
    }
}
