namespace WasmMesh.Controllers;

/// <summary>Factories for the rate limiters controllers use.</summary>
public static class RateLimiters
{
    /// <summary>The default per-key base delay: 5 ms.</summary>
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>The default per-key maximum delay: 1000 s.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(1000);

    /// <summary>The default overall rate: 10 retries per second.</summary>
    public const double DefaultTokensPerSecond = 10;

    /// <summary>The default overall burst: 100 retries.</summary>
    public const int DefaultBurst = 100;

    /// <summary>
    /// The controller default: the longer of a per-key exponential backoff (5 ms doubling to 1000 s) and an
    /// overall token bucket (10 per second, burst 100).
    /// </summary>
    /// <typeparam name="T">The key type.</typeparam>
    /// <param name="timeProvider">The clock for the token bucket; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The rate limiter.</returns>
    public static IRateLimiter<T> CreateDefault<T>(TimeProvider? timeProvider = null)
        where T : notnull
        => Create<T>(DefaultBaseDelay, DefaultMaxDelay, DefaultTokensPerSecond, DefaultBurst, timeProvider);

    /// <summary>The longer of a per-key exponential backoff and an overall token bucket.</summary>
    /// <typeparam name="T">The key type.</typeparam>
    /// <param name="baseDelay">The first per-key delay.</param>
    /// <param name="maxDelay">The largest per-key delay.</param>
    /// <param name="tokensPerSecond">The overall refill rate.</param>
    /// <param name="burst">The overall bucket size.</param>
    /// <param name="timeProvider">The clock for the token bucket; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The rate limiter.</returns>
    public static IRateLimiter<T> Create<T>(TimeSpan baseDelay, TimeSpan maxDelay, double tokensPerSecond, int burst, TimeProvider? timeProvider = null)
        where T : notnull
        => new MaxOfRateLimiter<T>(
            new ExponentialBackoffRateLimiter<T>(baseDelay, maxDelay),
            new TokenBucketRateLimiter<T>(tokensPerSecond, burst, timeProvider));
}
