namespace WasmMesh.Controllers;

/// <summary>
/// A <see cref="DelayingWorkQueue{T}"/> whose <see cref="AddRateLimited"/> delays come from an
/// <see cref="IRateLimiter{T}"/> (by default <see cref="RateLimiters.CreateDefault{T}"/>). Thread-safe.
/// </summary>
/// <typeparam name="T">The key type.</typeparam>
public sealed class RateLimitingWorkQueue<T> : IRateLimitingWorkQueue<T>
    where T : notnull
{
    private readonly DelayingWorkQueue<T> _queue;
    private readonly IRateLimiter<T> _rateLimiter;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="rateLimiter">Chooses requeue delays.</param>
    /// <param name="timeProvider">The clock for delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="comparer">Key equality; the default comparer when null.</param>
    public RateLimitingWorkQueue(IRateLimiter<T> rateLimiter, TimeProvider? timeProvider = null, IEqualityComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(rateLimiter);
        _rateLimiter = rateLimiter;
        _queue = new DelayingWorkQueue<T>(timeProvider, comparer);
    }

    /// <inheritdoc />
    public int Count => _queue.Count;

    /// <summary>The number of keys waiting for their delay to pass.</summary>
    public int DelayedCount => _queue.DelayedCount;

    /// <summary>The number of keys currently handed out and not yet marked done.</summary>
    public int ProcessingCount => _queue.ProcessingCount;

    /// <inheritdoc />
    public bool IsShuttingDown => _queue.IsShuttingDown;

    /// <inheritdoc />
    public void Add(T item) => _queue.Add(item);

    /// <inheritdoc />
    public void AddAfter(T item, TimeSpan delay) => _queue.AddAfter(item, delay);

    /// <inheritdoc />
    public void AddRateLimited(T item) => _queue.AddAfter(item, _rateLimiter.NextDelay(item));

    /// <inheritdoc />
    public void Forget(T item) => _rateLimiter.Forget(item);

    /// <inheritdoc />
    public int NumRequeues(T item) => _rateLimiter.NumRequeues(item);

    /// <inheritdoc />
    public ValueTask<(T Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken = default) => _queue.GetAsync(cancellationToken);

    /// <inheritdoc />
    public void Done(T item) => _queue.Done(item);

    /// <inheritdoc />
    public void ShutDown() => _queue.ShutDown();

    /// <summary>Shuts the queue down and releases its timer.</summary>
    public void Dispose() => _queue.Dispose();
}
