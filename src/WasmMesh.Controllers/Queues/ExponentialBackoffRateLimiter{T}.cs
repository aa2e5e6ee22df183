namespace WasmMesh.Controllers;

/// <summary>
/// Per-key exponential backoff: the n-th retry of a key (counting from zero) waits
/// <c>baseDelay × 2ⁿ</c>, never more than <c>maxDelay</c>. <see cref="Forget"/> resets the key. Thread-safe.
/// </summary>
/// <typeparam name="T">The key type.</typeparam>
public sealed class ExponentialBackoffRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<T, int> _failures;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    /// <summary>Creates the limiter.</summary>
    /// <param name="baseDelay">The first delay; must be positive.</param>
    /// <param name="maxDelay">The largest delay; must be at least <paramref name="baseDelay"/>.</param>
    /// <param name="comparer">Key equality; the default comparer when null.</param>
    public ExponentialBackoffRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay, IEqualityComparer<T>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _failures = new Dictionary<T, int>(comparer);
    }

    /// <inheritdoc />
    public TimeSpan NextDelay(T item)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures.GetValueOrDefault(item);
            _failures[item] = failures == int.MaxValue ? failures : failures + 1;
        }

        var ticks = _baseDelay.Ticks * Math.Pow(2, failures);
        return ticks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <inheritdoc />
    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    /// <inheritdoc />
    public int NumRequeues(T item)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}
