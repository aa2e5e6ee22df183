namespace WasmMesh.Controllers;

/// <summary>Combines rate limiters: every one is consulted and the longest delay wins.</summary>
/// <typeparam name="T">The key type.</typeparam>
public sealed class MaxOfRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly IRateLimiter<T>[] _limiters;

    /// <summary>Creates the combination.</summary>
    /// <param name="limiters">The limiters; at least one.</param>
    public MaxOfRateLimiter(params IRateLimiter<T>[] limiters)
    {
        ArgumentNullException.ThrowIfNull(limiters);
        if (limiters.Length == 0 || Array.Exists(limiters, l => l is null))
        {
            throw new ArgumentException("At least one rate limiter, none of them null, is required.", nameof(limiters));
        }

        _limiters = [.. limiters];
    }

    /// <inheritdoc />
    public TimeSpan NextDelay(T item)
    {
        var max = TimeSpan.Zero;
        foreach (var limiter in _limiters)
        {
            var delay = limiter.NextDelay(item);
            if (delay > max)
            {
                max = delay;
            }
        }

        return max;
    }

    /// <inheritdoc />
    public void Forget(T item)
    {
        foreach (var limiter in _limiters)
        {
            limiter.Forget(item);
        }
    }

    /// <inheritdoc />
    public int NumRequeues(T item)
    {
        var max = 0;
        foreach (var limiter in _limiters)
        {
            max = Math.Max(max, limiter.NumRequeues(item));
        }

        return max;
    }
}
