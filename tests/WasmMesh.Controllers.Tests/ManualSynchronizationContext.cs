namespace WasmMesh.Controllers.Tests;

/// <summary>
/// A single-threaded synchronization context the test pumps by hand: code started inside <see cref="Run"/> posts
/// its continuations here, and <see cref="RunUntilIdle"/> runs them on the test thread until none are left. With a
/// <see cref="FakeTimeProvider"/> and synchronous fakes this makes async loops (leader election) deterministic.
/// </summary>
internal sealed class ManualSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Lock _lock = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_lock)
        {
            _queue.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("Send is not supported.");

    /// <summary>Runs <paramref name="action"/> with this context current, then runs queued work until idle.</summary>
    public void Run(Action action)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }

        RunUntilIdle();
    }

    /// <summary>Runs queued continuations (and the ones they queue) until the queue is empty.</summary>
    public void RunUntilIdle()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var executed = 0; ; executed++)
            {
                (SendOrPostCallback Callback, object? State) next;
                lock (_lock)
                {
                    if (!_queue.TryDequeue(out next))
                    {
                        return;
                    }
                }

                if (executed > 100_000)
                {
                    throw new InvalidOperationException("The context never became idle.");
                }

                next.Callback(next.State);
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
