namespace WasmMesh.Controllers;

/// <summary>The deduplicating work queue described by <see cref="IWorkQueue{T}"/>. Thread-safe.</summary>
/// <typeparam name="T">The key type.</typeparam>
public sealed class WorkQueue<T> : IWorkQueue<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty;
    private readonly HashSet<T> _processing;
    private readonly LinkedList<TaskCompletionSource<(T, bool)>> _waiters = new();
    private bool _shuttingDown;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="comparer">Key equality; the default comparer when null.</param>
    public WorkQueue(IEqualityComparer<T>? comparer = null)
    {
        _dirty = new HashSet<T>(comparer);
        _processing = new HashSet<T>(comparer);
    }

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>The number of keys currently handed out and not yet marked done.</summary>
    public int ProcessingCount
    {
        get
        {
            lock (_lock)
            {
                return _processing.Count;
            }
        }
    }

    /// <inheritdoc />
    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    /// <inheritdoc />
    public void Add(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(item) || _processing.Contains(item))
            {
                return;
            }

            MakeReady(item);
        }
    }

    /// <inheritdoc />
    public async ValueTask<(T Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken = default)
    {
        LinkedListNode<TaskCompletionSource<(T, bool)>> node;
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return (default!, true);
            }

            if (_queue.TryDequeue(out var ready))
            {
                _dirty.Remove(ready);
                _processing.Add(ready);
                return (ready, false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            node = _waiters.AddLast(new TaskCompletionSource<(T, bool)>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        using var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (queue, waiter) = ((WorkQueue<T>, LinkedListNode<TaskCompletionSource<(T, bool)>>))state!;
                queue.CancelWaiter(waiter, token);
            },
            (this, node));
        return await node.Value.Task;
    }

    /// <inheritdoc />
    public void Done(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            if (!_processing.Remove(item))
            {
                return;
            }

            if (!_shuttingDown && _dirty.Contains(item))
            {
                MakeReady(item);
            }
        }
    }

    /// <inheritdoc />
    public void ShutDown()
    {
        TaskCompletionSource<(T, bool)>[] waiters;
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            _shuttingDown = true;
            _queue.Clear();
            _dirty.Clear();
            waiters = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult((default!, true));
        }
    }

    /// <summary>Shuts the queue down (see <see cref="ShutDown"/>).</summary>
    public void Dispose() => ShutDown();

    // Called under the lock: hands the key to a waiting worker, or queues it.
    private void MakeReady(T item)
    {
        var waiter = _waiters.First;
        if (waiter is null)
        {
            _queue.Enqueue(item);
            return;
        }

        _waiters.RemoveFirst();
        _dirty.Remove(item);
        _processing.Add(item);
        waiter.Value.TrySetResult((item, false));
    }

    private void CancelWaiter(LinkedListNode<TaskCompletionSource<(T, bool)>> node, CancellationToken token)
    {
        lock (_lock)
        {
            if (node.List is null)
            {
                // Already completed (handed an item or shut down).
                return;
            }

            _waiters.Remove(node);
        }

        node.Value.TrySetCanceled(token);
    }
}
