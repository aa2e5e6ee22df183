namespace WasmMesh.Controllers;

/// <summary>A <see cref="IDelayingWorkQueue{T}"/> that adds keys after a delay chosen by an <see cref="IRateLimiter{T}"/>.</summary>
/// <typeparam name="T">The key type.</typeparam>
public interface IRateLimitingWorkQueue<T> : IDelayingWorkQueue<T>
    where T : notnull
{
    /// <summary>Adds <paramref name="item"/> after the delay the rate limiter gives it (one more failure for the key).</summary>
    /// <param name="item">The key.</param>
    void AddRateLimited(T item);

    /// <summary>Tells the rate limiter the key succeeded: its backoff starts again from the base delay.</summary>
    /// <param name="item">The key.</param>
    void Forget(T item);

    /// <summary>How many times the key has been added with <see cref="AddRateLimited"/> since it was last forgotten.</summary>
    /// <param name="item">The key.</param>
    /// <returns>The number of rate-limited requeues.</returns>
    int NumRequeues(T item);
}
