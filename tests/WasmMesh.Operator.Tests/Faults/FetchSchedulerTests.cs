using Xunit;

namespace WasmMesh.Operator.Tests.Faults;

public sealed class FetchSchedulerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GetOrStart_HangingFetchesFillEverySlot_ReturnsAtOnceAndReportsQueued()
    {
        await using var scheduler = new FetchScheduler<string>(2, TimeProvider.System);
        var hang = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(scheduler.GetOrStart($"ns/hang{i}", "1", _ => hang.Task, _ => { }).IsPending);
        }

        var state = scheduler.GetOrStart("ns/other", "1", _ => Task.FromResult("module"), _ => { });

        Assert.Equal(FetchStage.Queued, state.Stage);
        Assert.Equal(6, scheduler.PendingCount);
        hang.SetResult("late");
    }

    [Fact]
    public async Task GetOrStart_FetchCompletes_NotifiesTheOwnerAndHandsOutTheResultOnce()
    {
        await using var scheduler = new FetchScheduler<string>(1, TimeProvider.System);
        var completed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        Task<string> Fetch(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult("module");
        }

        scheduler.GetOrStart("ns/a", "1", Fetch, owner => completed.TrySetResult(owner));
        Assert.Equal("ns/a", await completed.Task.WaitAsync(Bound, Ct));

        var done = scheduler.GetOrStart("ns/a", "1", Fetch, _ => { });
        Assert.Equal(FetchStage.Succeeded, done.Stage);
        Assert.Equal("module", done.Result);
        Assert.Equal(1, calls);

        var again = scheduler.GetOrStart("ns/a", "1", Fetch, _ => { });
        Assert.True(again.IsPending);
    }

    [Fact]
    public async Task GetOrStart_FetchFails_HandsOutTheError()
    {
        await using var scheduler = new FetchScheduler<string>(1, TimeProvider.System);
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        scheduler.GetOrStart("ns/a", "1", _ => Task.FromException<string>(new IOException("boom")), _ => completed.TrySetResult());
        await completed.Task.WaitAsync(Bound, Ct);

        var failed = scheduler.GetOrStart("ns/a", "1", _ => Task.FromResult("x"), _ => { });
        Assert.Equal(FetchStage.Failed, failed.Stage);
        Assert.IsType<IOException>(failed.Error);
    }

    [Fact]
    public async Task GetOrStart_NewVersion_CancelsTheOldFetchAndFreesItsSlot()
    {
        await using var scheduler = new FetchScheduler<string>(1, TimeProvider.System);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondDone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var oldNotified = false;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        scheduler.GetOrStart("ns/a", "1", async token =>
        {
            started.TrySetResult();
            await using var registration = token.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        }, _ => oldNotified = true);
        await started.Task.WaitAsync(Bound, Ct);
        var replaced = scheduler.GetOrStart("ns/a", "2", _ => Task.FromResult("v2"), owner => secondDone.TrySetResult(owner));

        Assert.True(replaced.IsPending);
        await cancelled.Task.WaitAsync(Bound, Ct);
        await secondDone.Task.WaitAsync(Bound, Ct);
        Assert.Equal("v2", scheduler.GetOrStart("ns/a", "2", _ => Task.FromResult("again"), _ => { }).Result);
        Assert.False(oldNotified);
    }

    [Fact]
    public async Task GetOrStart_LimitReached_RunsNoMoreThanTheLimitAtOnce()
    {
        await using var scheduler = new FetchScheduler<string>(3, TimeProvider.System);
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var peak = 0;
        var allDone = new CountdownEvent(10);
        async Task<string> Fetch(CancellationToken token)
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            try
            {
                return await release.Task.WaitAsync(token);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }

        for (var i = 0; i < 10; i++)
        {
            scheduler.GetOrStart($"ns/o{i}", "1", Fetch, _ => allDone.Signal());
        }

        await Task.Delay(200, Ct);
        release.SetResult("m");
        Assert.True(allDone.Wait(Bound, Ct));
        Assert.Equal(3, peak);
    }

    [Fact]
    public async Task Cancel_RunningFetch_IsCancelledAndNotReported()
    {
        await using var scheduler = new FetchScheduler<string>(1, TimeProvider.System);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var notified = false;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        scheduler.GetOrStart("ns/a", "1", async token =>
        {
            started.TrySetResult();
            await using var registration = token.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        }, _ => notified = true);
        await started.Task.WaitAsync(Bound, Ct);

        scheduler.Cancel("ns/a");

        await cancelled.Task.WaitAsync(Bound, Ct);
        Assert.Equal(0, scheduler.PendingCount);
        Assert.False(notified);
    }

    [Fact]
    public async Task Cancel_FetchThatIgnoresCancellation_FreesItsSlotAtOnceForTheNextFetch()
    {
        await using var scheduler = new FetchScheduler<string>(1, TimeProvider.System);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deaf = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherDone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var notified = false;

        // A download that never looks at its token (a stuck read): only the scheduler can free its slot.
        scheduler.GetOrStart("ns/deleted", "1", _ =>
        {
            started.TrySetResult();
            return deaf.Task;
        }, _ => notified = true);
        try
        {
            await started.Task.WaitAsync(Bound, Ct);
            Assert.Equal(FetchStage.Queued, scheduler.GetOrStart("ns/other", "1", _ => Task.FromResult("other"), owner => otherDone.TrySetResult(owner)).Stage);

            scheduler.Cancel("ns/deleted");

            Assert.Equal("ns/other", await otherDone.Task.WaitAsync(Bound, Ct));
            Assert.Equal("other", scheduler.GetOrStart("ns/other", "1", _ => Task.FromResult("again"), _ => { }).Result);
        }
        finally
        {
            deaf.TrySetException(new IOException("the stuck read ends late"));
        }

        Assert.False(notified);
        Assert.False(scheduler.Has("ns/deleted"));
    }

    [Fact]
    public async Task GetOrStart_NewVersionWhileTheOldFetchIgnoresCancellation_StartsTheNewFetchInTheFreedSlot()
    {
        await using var scheduler = new FetchScheduler<string>(1, TimeProvider.System);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deaf = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var replacedDone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var oldNotified = false;
        scheduler.GetOrStart("ns/a", "1", _ =>
        {
            started.TrySetResult();
            return deaf.Task;
        }, _ => oldNotified = true);
        try
        {
            await started.Task.WaitAsync(Bound, Ct);

            var replaced = scheduler.GetOrStart("ns/a", "2", _ => Task.FromResult("v2"), owner => replacedDone.TrySetResult(owner));

            Assert.True(replaced.IsPending);
            Assert.Equal("ns/a", await replacedDone.Task.WaitAsync(Bound, Ct));
            Assert.Equal("v2", scheduler.GetOrStart("ns/a", "2", _ => Task.FromResult("again"), _ => { }).Result);
        }
        finally
        {
            deaf.TrySetResult("v1, too late");
        }

        Assert.False(oldNotified);
        Assert.False(scheduler.Has("ns/a"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        do
        {
            current = Volatile.Read(ref target);
            if (value <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref target, value, current) != current);
    }
}
