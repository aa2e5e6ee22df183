namespace WasmMesh.Controllers;

/// <summary>
/// An overall token bucket shared by all keys: it holds up to <c>burst</c> tokens and refills at
/// <c>tokensPerSecond</c>; every <see cref="NextDelay"/> takes one token and returns how long until that token
/// exists (zero while the bucket is not empty). Time comes from the <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
/// <typeparam name="T">The key type (ignored: the bucket is shared).</typeparam>
public sealed class TokenBucketRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly double _tokensPerSecond;
    private readonly int _burst;
    private double _tokens;
    private long _last;

    /// <summary>Creates the limiter with a full bucket.</summary>
    /// <param name="tokensPerSecond">The refill rate; must be positive.</param>
    /// <param name="burst">The bucket size; must be at least 1.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public TokenBucketRateLimiter(double tokensPerSecond, int burst, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tokensPerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _tokensPerSecond = tokensPerSecond;
        _burst = burst;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _tokens = burst;
        _last = _timeProvider.GetTimestamp();
    }

    /// <inheritdoc />
    public TimeSpan NextDelay(T item)
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            var elapsed = _timeProvider.GetElapsedTime(_last, now);
            _last = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed.TotalSeconds * _tokensPerSecond));
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _tokensPerSecond);
        }
    }

    /// <inheritdoc />
    public void Forget(T item)
    {
        // The bucket is shared by all keys; there is nothing per key to forget.
    }

    /// <inheritdoc />
    public int NumRequeues(T item) => 0;
}
