namespace WasmMesh.Controllers;

/// <summary>Chooses how long a key waits before it is retried.</summary>
/// <typeparam name="T">The key type.</typeparam>
public interface IRateLimiter<T>
    where T : notnull
{
    /// <summary>Records one more retry of <paramref name="item"/> and returns how long it should wait.</summary>
    /// <param name="item">The key.</param>
    /// <returns>The delay before the retry.</returns>
    TimeSpan NextDelay(T item);

    /// <summary>Forgets the key's retries (it succeeded): its next delay starts from the beginning.</summary>
    /// <param name="item">The key.</param>
    void Forget(T item);

    /// <summary>How many retries of the key have been recorded since it was last forgotten.</summary>
    /// <param name="item">The key.</param>
    /// <returns>The number of retries.</returns>
    int NumRequeues(T item);
}
