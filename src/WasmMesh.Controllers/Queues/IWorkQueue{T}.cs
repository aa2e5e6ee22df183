namespace WasmMesh.Controllers;

/// <summary>
/// A deduplicating work queue of keys, in the style of the Kubernetes client work queue: adding a key
/// that is already waiting does nothing; a key handed out by <see cref="GetAsync"/> is not handed out
/// again until <see cref="Done"/> is called for it, and adds that arrive while it is being processed are
/// deferred until then (so one key is never processed by two workers at once).
/// </summary>
/// <typeparam name="T">The key type; equality decides deduplication.</typeparam>
public interface IWorkQueue<T> : IDisposable
    where T : notnull
{
    /// <summary>The number of keys ready to be handed out (not counting keys being processed or delayed).</summary>
    int Count { get; }

    /// <summary>True once <see cref="ShutDown"/> has been called.</summary>
    bool IsShuttingDown { get; }

    /// <summary>
    /// Marks <paramref name="item"/> as needing processing. Does nothing when it is already waiting or
    /// the queue is shutting down; when it is being processed, it is queued again after <see cref="Done"/>.
    /// </summary>
    /// <param name="item">The key.</param>
    void Add(T item);

    /// <summary>
    /// Waits for the next key and marks it as being processed. The caller must call <see cref="Done"/>
    /// for it when finished. Returns <c>ShutDown = true</c> (and a default item) once the queue is shut down.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The key, or <c>ShutDown = true</c>.</returns>
    ValueTask<(T Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks <paramref name="item"/> as no longer being processed; re-queues it when it was added meanwhile.</summary>
    /// <param name="item">A key returned by <see cref="GetAsync"/>.</param>
    void Done(T item);

    /// <summary>
    /// Stops the queue: waiting and future <see cref="GetAsync"/> calls return <c>ShutDown = true</c>, keys
    /// still waiting are dropped and further adds are ignored. Keys being processed may still call <see cref="Done"/>.
    /// </summary>
    void ShutDown();
}
