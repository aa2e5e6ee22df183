namespace WasmMesh.Controllers.Tests;

public sealed class RateLimiterTests
{
    [Fact]
    public void ExponentialBackoff_DoublesPerFailureUpToTheCap()
    {
        var limiter = new ExponentialBackoffRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        var delays = Enumerable.Range(0, 4).Select(_ => limiter.NextDelay("a")).ToArray();

        Assert.Equal([5, 10, 20, 40], delays.Select(d => d.TotalMilliseconds));
        Assert.Equal(4, limiter.NumRequeues("a"));
        for (var i = 0; i < 40; i++)
        {
            limiter.NextDelay("a");
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.NextDelay("a"));
    }

    [Fact]
    public void ExponentialBackoff_KeysAreIndependentAndForgetResets()
    {
        var limiter = new ExponentialBackoffRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        limiter.NextDelay("a");
        limiter.NextDelay("a");

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("b"));
        limiter.Forget("a");

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
    }

    [Fact]
    public void ExponentialBackoff_VeryManyFailures_StaysAtTheCap()
    {
        var limiter = new ExponentialBackoffRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        for (var i = 0; i < 5000; i++)
        {
            Assert.InRange(limiter.NextDelay("a"), TimeSpan.Zero, TimeSpan.FromSeconds(1000));
        }
    }

    [Fact]
    public void TokenBucket_BurstIsFreeThenRateLimited()
    {
        var time = new FakeTimeProvider();
        var limiter = new TokenBucketRateLimiter<string>(10, 100, time);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.NextDelay($"k{i}"));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.NextDelay("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.NextDelay("y"));
    }

    [Fact]
    public void TokenBucket_RefillsOverTimeUpToTheBurst()
    {
        var time = new FakeTimeProvider();
        var limiter = new TokenBucketRateLimiter<string>(10, 5, time);
        for (var i = 0; i < 5; i++)
        {
            limiter.NextDelay("a");
        }

        time.Advance(TimeSpan.FromMilliseconds(300));
        var afterRefill = Enumerable.Range(0, 4).Select(_ => limiter.NextDelay("a")).ToArray();

        Assert.Equal([0, 0, 0, 100], afterRefill.Select(d => Math.Round(d.TotalMilliseconds)));

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(5, Enumerable.Range(0, 6).Count(_ => limiter.NextDelay("a") == TimeSpan.Zero));
    }

    [Fact]
    public void MaxOf_TakesTheLongestDelayAndForgetsEverywhere()
    {
        var time = new FakeTimeProvider();
        var limiter = RateLimiters.Create<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000), 1, 1, time);

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.NextDelay("a"));
        Assert.Equal(2, limiter.NumRequeues("a"));

        limiter.Forget("a");
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
    }

    [Fact]
    public void RateLimitingWorkQueue_AddRateLimited_WaitsForTheBackoff()
    {
        var time = new FakeTimeProvider();
        using var queue = new RateLimitingWorkQueue<string>(RateLimiters.CreateDefault<string>(time), time);

        queue.AddRateLimited("a");
        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(1, queue.NumRequeues("a"));

        queue.Forget("a");
        Assert.Equal(0, queue.NumRequeues("a"));
    }
}
