using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace WasmMesh.Controllers.Tests;

public sealed class ControllerTests : IDisposable
{
    private static readonly ObjectKey KeyA = ObjectKey.Parse("default/a");
    private static readonly ObjectKey KeyB = ObjectKey.Parse("default/b");

    private readonly FakeTimeProvider _time = new();
    private readonly Meter _meter = new(ControllerMetrics.MeterName);
    private readonly MetricCollector _metrics;
    private readonly ControllerMetrics _controllerMetrics;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ObjectKey> _calls = new();

    public ControllerTests()
    {
        _metrics = new MetricCollector(_meter);
        _controllerMetrics = new ControllerMetrics(_meter, ownsMeter: false);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _metrics.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public async Task Reconcile_Done_ForgetsTheKeyAndCountsSuccess()
    {
        var (controller, run) = Start((_, _) => Task.FromResult(ReconcileResult.Done));

        controller.Enqueue(KeyA);

        await Eventually.TrueAsync(() => _metrics.Sum("wasmmesh.controller.reconciles", ("result", "success")) == 1, "one success is counted");
        Assert.Equal([KeyA], _calls);
        Assert.Equal(0, controller.Queue!.NumRequeues(KeyA));
        Assert.Equal(0, controller.Queue.DelayedCount);
        Assert.Equal(1, _metrics.Count("wasmmesh.controller.reconcile.duration", ("controller", "test")));
        await StopAsync(run);
    }

    [Fact]
    public async Task Reconcile_RequeueAfter_ReconcilesAgainAfterTheDelay()
    {
        var (controller, run) = Start((_, _) => Task.FromResult(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5))));

        controller.Enqueue(KeyA);
        await Eventually.TrueAsync(() => controller.Queue!.DelayedCount == 1, "the key waits for its delay");

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        Assert.Single(_calls);
        Assert.Equal(1, controller.Queue!.DelayedCount);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => _calls.Count == 2, "the key is reconciled again");
        Assert.Equal(0, controller.Queue.NumRequeues(KeyA));
        await Eventually.TrueAsync(() => _metrics.Sum("wasmmesh.controller.reconciles", ("result", "requeue_after")) == 2, "both results are counted");
        await StopAsync(run);
    }

    [Fact]
    public async Task Reconcile_Requeue_UsesTheRateLimitedBackoff()
    {
        var (controller, run) = Start((_, _) => Task.FromResult(ReconcileResult.Requeue));

        controller.Enqueue(KeyA);
        await Eventually.TrueAsync(() => controller.Queue!.DelayedCount == 1, "the key backs off");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually.TrueAsync(() => _calls.Count == 2 && controller.Queue!.DelayedCount == 1, "the second attempt backs off");

        Assert.Equal(2, controller.Queue!.NumRequeues(KeyA));
        _time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(2, _calls.Count);
        Assert.Equal(1, controller.Queue.DelayedCount);
        await StopAsync(run);
    }

    [Fact]
    public async Task Reconcile_Throws_RetriesWithGrowingBackoffAndCountsErrors()
    {
        var (controller, run) = Start((_, _) => throw new InvalidOperationException("registry down"));

        controller.Enqueue(KeyA);
        var expected = new[] { 5, 10, 20, 40 };
        for (var i = 0; i < expected.Length; i++)
        {
            var attempts = i + 1;
            await Eventually.TrueAsync(() => _calls.Count == attempts && controller.Queue!.DelayedCount == 1, $"attempt {attempts} failed and backs off");
            Assert.Equal(attempts, controller.Queue!.NumRequeues(KeyA));
            _time.Advance(TimeSpan.FromMilliseconds(expected[i] - 1));
            Assert.Equal(attempts, _calls.Count);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await Eventually.TrueAsync(() => _calls.Count == 5, "the fifth attempt runs");
        await Eventually.TrueAsync(() => _metrics.Sum("wasmmesh.controller.reconcile.errors", ("controller", "test"), ("terminal", "false")) == 5, "five errors are counted");
        Assert.Equal(5, _metrics.Sum("wasmmesh.controller.reconciles", ("result", "error")));
        await StopAsync(run);
    }

    [Fact]
    public async Task Reconcile_ThrowsThenSucceeds_BackoffIsForgotten()
    {
        var attempts = 0;
        var (controller, run) = Start((_, _) => Interlocked.Increment(ref attempts) < 3 ? throw new TimeoutException() : Task.FromResult(ReconcileResult.Done));

        controller.Enqueue(KeyA);
        await Eventually.TrueAsync(() => controller.Queue!.DelayedCount == 1, "the first failure backs off");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually.TrueAsync(() => _calls.Count == 2 && controller.Queue!.DelayedCount == 1, "the second failure backs off");
        _time.Advance(TimeSpan.FromMilliseconds(10));

        await Eventually.TrueAsync(() => _metrics.Sum("wasmmesh.controller.reconciles", ("result", "success")) == 1, "the third attempt succeeds");
        Assert.Equal(0, controller.Queue!.NumRequeues(KeyA));
        await StopAsync(run);
    }

    [Fact]
    public async Task Reconcile_TerminalException_IsNotRetried()
    {
        var (controller, run) = Start((_, _) => throw new TerminalReconcileException("spec.filter.source: exactly one of registry or object is required"));

        controller.Enqueue(KeyA);

        await Eventually.TrueAsync(() => _metrics.Sum("wasmmesh.controller.reconciles", ("result", "terminal_error")) == 1, "the terminal error is counted");
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Single(_calls);
        Assert.Equal(0, controller.Queue!.DelayedCount);
        Assert.Equal(0, controller.Queue.Count);
        Assert.Equal(0, controller.Queue.NumRequeues(KeyA));
        Assert.Equal(1, _metrics.Sum("wasmmesh.controller.reconcile.errors", ("terminal", "true")));

        controller.Enqueue(KeyA);
        await Eventually.TrueAsync(() => _calls.Count == 2, "a new event reconciles the key again");
        await StopAsync(run);
    }

    [Fact]
    public async Task Workers_DifferentKeys_ReconcileInParallel()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var maxRunning = 0;
        var (controller, run) = Start(
            async (_, _) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref maxRunning, now);
                await release.Task;
                Interlocked.Decrement(ref running);
                return ReconcileResult.Done;
            },
            new ControllerOptions { MaxConcurrentReconciles = 3 });

        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            controller.Enqueue(new ObjectKey("default", name));
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref running) == 3, "three workers reconcile at once");
        Assert.Equal(1, controller.QueueLength);
        Assert.Equal(3, _metrics.Sum("wasmmesh.controller.workers.active", ("controller", "test")));
        release.SetResult();
        await Eventually.TrueAsync(() => _calls.Count == 4 && Volatile.Read(ref running) == 0, "all four keys are reconciled");
        Assert.Equal(3, maxRunning);
        await StopAsync(run);
    }

    [Fact]
    public async Task Workers_SameKeyEnqueuedWhileReconciling_IsNeverReconciledConcurrently()
    {
        var gate = new SemaphoreSlim(0);
        var inFlight = new ConcurrentDictionary<ObjectKey, int>();
        var overlaps = 0;
        var (controller, run) = Start(
            async (key, _) =>
            {
                if (inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await gate.WaitAsync(CancellationToken.None);
                inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
                return ReconcileResult.Done;
            },
            new ControllerOptions { MaxConcurrentReconciles = 4 });

        controller.Enqueue(KeyA);
        await Eventually.TrueAsync(() => _calls.Count == 1, "the first reconcile runs");
        controller.Enqueue(KeyA);
        controller.Enqueue(KeyA);
        controller.Enqueue(KeyB);
        await Eventually.TrueAsync(() => _calls.Count == 2, "the other key runs on another worker");

        Assert.Equal(0, controller.QueueLength);
        gate.Release(2);
        await Eventually.TrueAsync(() => _calls.Count == 3, "the deferred key runs once after the first finishes");
        gate.Release(1);
        await Eventually.TrueAsync(() => inFlight.Values.All(n => n == 0) && _metrics.Sum("wasmmesh.controller.reconciles") == 3, "everything finishes");

        Assert.Equal(0, overlaps);
        Assert.Equal(2, _calls.Count(k => k == KeyA));
        await StopAsync(run);
    }

    [Fact]
    public async Task QueueDepth_IsObservedPerController()
    {
        var block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (controller, run) = Start(async (_, _) =>
        {
            await block.Task;
            return ReconcileResult.Done;
        });

        controller.Enqueue(KeyA);
        await Eventually.TrueAsync(() => _calls.Count == 1, "the first key is being reconciled");
        controller.Enqueue(KeyB);
        controller.Enqueue(new ObjectKey("default", "c"));

        Assert.Equal(2, _metrics.Latest("wasmmesh.controller.queue.depth", ("controller", "test")));
        block.SetResult();
        await StopAsync(run);
    }

    [Fact]
    public async Task Stop_CancelsReconcilesInProgressAndDropsKeys()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (controller, run) = Start(async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return ReconcileResult.Done;
        });

        controller.Enqueue(KeyA);
        await started.Task.Within();
        await _stop.CancelAsync();
        await run.Within();

        Assert.False(controller.IsRunning);
        controller.Enqueue(KeyB);
        Assert.Equal(0, controller.QueueLength);
        Assert.Equal(0, _metrics.Sum("wasmmesh.controller.reconcile.errors"));
    }

    [Fact]
    public async Task Run_Twice_Concurrently_Throws()
    {
        var (controller, run) = Start((_, _) => Task.FromResult(ReconcileResult.Done));
        await Eventually.TrueAsync(() => controller.IsRunning, "the controller runs");

        await Assert.ThrowsAsync<InvalidOperationException>(() => controller.RunAsync(CancellationToken.None));
        await StopAsync(run);
    }

    [Fact]
    public async Task Run_AgainAfterStop_ReplaysSourcesIntoAFreshQueue()
    {
        var source = new RecordingSource([KeyA, KeyB]);
        var controller = Create((_, _) => Task.FromResult(ReconcileResult.Done), sources: [source]);

        using (var first = new CancellationTokenSource())
        {
            var run = controller.RunAsync(first.Token);
            await Eventually.TrueAsync(() => _calls.Count == 2, "the source's keys are reconciled");
            await first.CancelAsync();
            await run.Within();
        }

        using var second = new CancellationTokenSource();
        var again = controller.RunAsync(second.Token);
        await Eventually.TrueAsync(() => _calls.Count == 4, "the source replays its keys on the second start");
        await second.CancelAsync();
        await again.Within();

        Assert.Equal(2, source.Starts);
        Assert.Equal(2, source.Stops);
    }

    [Fact]
    public async Task Source_Throws_ControllerKeepsRunning()
    {
        var controller = Create((_, _) => Task.FromResult(ReconcileResult.Done), sources: [new ThrowingSource()]);
        var run = controller.RunAsync(_stop.Token);
        await Eventually.TrueAsync(() => controller.IsRunning, "the controller runs");

        controller.Enqueue(KeyA);

        await Eventually.TrueAsync(() => _calls.Count == 1, "keys are still reconciled");
        await StopAsync(run);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private Controller Create(Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile, ControllerOptions? options = null, IReadOnlyList<IControllerSource>? sources = null)
        => new(
            "test",
            (request, ct) =>
            {
                _calls.Enqueue(request.Key);
                return reconcile(request.Key, ct);
            },
            options ?? new ControllerOptions(),
            sources,
            _time,
            _controllerMetrics);

    private (Controller Controller, Task Run) Start(Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile, ControllerOptions? options = null)
    {
        var controller = Create(reconcile, options);
        var run = controller.RunAsync(_stop.Token);
        Assert.True(controller.IsRunning);
        return (controller, run);
    }

    private async Task StopAsync(Task run)
    {
        await _stop.CancelAsync();
        await run.Within();
    }

    private sealed class RecordingSource(IReadOnlyList<ObjectKey> keys) : IControllerSource
    {
        public int Starts;
        public int Stops;

        public async Task RunAsync(IController controller, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Starts);
            foreach (var key in keys)
            {
                controller.Enqueue(key);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Interlocked.Increment(ref Stops);
            }
        }
    }

    private sealed class ThrowingSource : IControllerSource
    {
        public Task RunAsync(IController controller, CancellationToken cancellationToken) => throw new InvalidOperationException("watch failed");
    }
}
