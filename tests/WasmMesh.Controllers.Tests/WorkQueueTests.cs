namespace WasmMesh.Controllers.Tests;

public sealed class WorkQueueTests
{
    [Fact]
    public async Task Add_SameKeyTwice_IsHandedOutOnce()
    {
        using var queue = new WorkQueue<string>();

        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", (await queue.GetAsync(TestContext.Current.CancellationToken)).Item);
        Assert.Equal("b", (await queue.GetAsync(TestContext.Current.CancellationToken)).Item);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Add_WhileProcessing_IsDeferredUntilDone()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        var (item, _) = await queue.GetAsync(TestContext.Current.CancellationToken);

        queue.Add("a");
        queue.Add("a");

        Assert.Equal(0, queue.Count);
        var second = queue.GetAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.False(second.IsCompleted);

        queue.Done(item);

        Assert.Equal("a", (await second.Within()).Item);
        Assert.Equal(1, queue.ProcessingCount);
    }

    [Fact]
    public async Task Done_WithoutReAdd_DoesNotRequeue()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        var (item, _) = await queue.GetAsync(TestContext.Current.CancellationToken);

        queue.Done(item);

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.ProcessingCount);
    }

    [Fact]
    public async Task GetAsync_WaitingWorker_ReceivesLaterAdd()
    {
        using var queue = new WorkQueue<string>();
        var waiting = queue.GetAsync(TestContext.Current.CancellationToken).AsTask();

        queue.Add("x");

        var (item, shutDown) = await waiting.Within();
        Assert.Equal("x", item);
        Assert.False(shutDown);
    }

    [Fact]
    public async Task ConcurrentWorkers_NeverProcessTheSameKeyAtOnce()
    {
        using var queue = new WorkQueue<int>();
        var inFlight = new int[10];
        var violations = 0;
        var processed = 0;

        async Task WorkAsync()
        {
            while (true)
            {
                var (key, shutDown) = await queue.GetAsync(TestContext.Current.CancellationToken);
                if (shutDown)
                {
                    return;
                }

                if (Interlocked.Increment(ref inFlight[key]) != 1)
                {
                    Interlocked.Increment(ref violations);
                }

                await Task.Yield();
                Interlocked.Decrement(ref inFlight[key]);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(WorkAsync)).ToArray();
        for (var i = 0; i < 5000; i++)
        {
            queue.Add(i % 10);
            if (i % 100 == 0)
            {
                await Task.Yield();
            }
        }

        await Eventually.TrueAsync(() => queue.Count == 0 && queue.ProcessingCount == 0, "the queue drains");
        queue.ShutDown();
        await Task.WhenAll(workers).Within();

        Assert.Equal(0, violations);
        Assert.InRange(processed, 10, 5000);
    }

    [Fact]
    public async Task ShutDown_ReleasesWaitersAndIgnoresAdds()
    {
        using var queue = new WorkQueue<string>();
        var waiting = queue.GetAsync(TestContext.Current.CancellationToken).AsTask();

        queue.ShutDown();
        queue.Add("late");

        Assert.True((await waiting.Within()).ShutDown);
        Assert.True((await queue.GetAsync(TestContext.Current.CancellationToken)).ShutDown);
        Assert.True(queue.IsShuttingDown);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task GetAsync_Cancelled_ThrowsAndLaterAddsStillDelivered()
    {
        using var queue = new WorkQueue<string>();
        using var cts = new CancellationTokenSource();
        var waiting = queue.GetAsync(cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        queue.Add("a");
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", (await queue.GetAsync(TestContext.Current.CancellationToken)).Item);
    }
}
