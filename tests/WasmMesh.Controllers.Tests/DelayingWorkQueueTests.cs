namespace WasmMesh.Controllers.Tests;

public sealed class DelayingWorkQueueTests
{
    [Fact]
    public void AddAfter_JoinsTheQueueOnlyWhenDue()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingWorkQueue<string>(time);

        queue.AddAfter("a", TimeSpan.FromSeconds(10));

        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.DelayedCount);
        time.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.DelayedCount);
    }

    [Fact]
    public void AddAfter_SameKey_EarlierDeadlineWins()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingWorkQueue<string>(time);

        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(30));

        Assert.Equal(1, queue.DelayedCount);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, queue.Count);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task AddAfter_ManyKeys_ReleasedInDeadlineOrder()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingWorkQueue<string>(time);

        queue.AddAfter("c", TimeSpan.FromSeconds(3));
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        queue.AddAfter("b", TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, queue.Count);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("a", (await queue.GetAsync(TestContext.Current.CancellationToken)).Item);
        Assert.Equal("b", (await queue.GetAsync(TestContext.Current.CancellationToken)).Item);
        Assert.Equal("c", (await queue.GetAsync(TestContext.Current.CancellationToken)).Item);
    }

    [Fact]
    public void AddAfter_ZeroDelay_AddsAtOnce()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingWorkQueue<string>(time);

        queue.AddAfter("a", TimeSpan.Zero);

        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void ShutDown_DropsDelayedKeysAndStopsTheTimer()
    {
        var time = new TimerCountingTimeProvider();
        var queue = new DelayingWorkQueue<string>(time);
        queue.AddAfter("a", TimeSpan.FromSeconds(1));

        queue.ShutDown();
        time.Advance(TimeSpan.FromSeconds(5));
        queue.AddAfter("b", TimeSpan.FromSeconds(1));

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.DelayedCount);
        Assert.Equal(0, time.LiveTimers);
    }

    /// <summary>The testing clock, counting the timers created on it and not yet disposed.</summary>
    private sealed class TimerCountingTimeProvider : FakeTimeProvider
    {
        private int _live;

        public int LiveTimers => Volatile.Read(ref _live);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _live);
            return new CountedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        }

        private sealed class CountedTimer(ITimer inner, TimerCountingTimeProvider owner) : ITimer
        {
            private int _disposed;

            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Decrement(ref owner._live);
                }

                inner.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
