namespace WasmMesh.Controllers;

/// <summary>
/// A <see cref="WorkQueue{T}"/> with <see cref="AddAfter"/>: delayed keys wait on one timer from the
/// <see cref="TimeProvider"/> (so tests can drive time by hand) and join the queue when due. Thread-safe.
/// </summary>
/// <typeparam name="T">The key type.</typeparam>
public sealed class DelayingWorkQueue<T> : IDelayingWorkQueue<T>
    where T : notnull
{
    private readonly WorkQueue<T> _queue;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly Dictionary<T, long> _waiting;
    private readonly PriorityQueue<T, long> _deadlines = new();
    private readonly ITimer _timer;
    private long _armedFor = long.MaxValue;
    private bool _shuttingDown;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="timeProvider">The clock for delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="comparer">Key equality; the default comparer when null.</param>
    public DelayingWorkQueue(TimeProvider? timeProvider = null, IEqualityComparer<T>? comparer = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _queue = new WorkQueue<T>(comparer);
        _waiting = new Dictionary<T, long>(comparer);
        _timer = _timeProvider.CreateTimer(static state => ((DelayingWorkQueue<T>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc />
    public int Count => _queue.Count;

    /// <summary>The number of keys waiting for their delay to pass.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>The number of keys currently handed out and not yet marked done.</summary>
    public int ProcessingCount => _queue.ProcessingCount;

    /// <inheritdoc />
    public bool IsShuttingDown => _queue.IsShuttingDown;

    /// <inheritdoc />
    public void Add(T item) => _queue.Add(item);

    /// <inheritdoc />
    public void AddAfter(T item, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (delay <= TimeSpan.Zero)
        {
            _queue.Add(item);
            return;
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _timeProvider.GetTimestamp() + ToTimestampTicks(delay);
            if (_waiting.TryGetValue(item, out var existing) && existing <= due)
            {
                return;
            }

            _waiting[item] = due;
            _deadlines.Enqueue(item, due);
            if (due < _armedFor)
            {
                Arm(due);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<(T Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken = default) => _queue.GetAsync(cancellationToken);

    /// <inheritdoc />
    public void Done(T item) => _queue.Done(item);

    /// <inheritdoc />
    public void ShutDown()
    {
        lock (_lock)
        {
            _shuttingDown = true;
            _waiting.Clear();
            _deadlines.Clear();
            _armedFor = long.MaxValue;
        }

        _timer.Dispose();
        _queue.ShutDown();
    }

    /// <summary>Shuts the queue down and releases its timer.</summary>
    public void Dispose() => ShutDown();

    private long ToTimestampTicks(TimeSpan delay)
    {
        var ticks = delay.Ticks * (double)_timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond;
        return ticks >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)Math.Ceiling(ticks);
    }

    // Called under the lock.
    private void Arm(long due)
    {
        _armedFor = due;
        var remaining = _timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), due);
        if (remaining < TimeSpan.Zero)
        {
            remaining = TimeSpan.Zero;
        }

        _timer.Change(remaining, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<T>? ready = null;
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var now = _timeProvider.GetTimestamp();
            _armedFor = long.MaxValue;
            while (_deadlines.TryPeek(out var item, out var due))
            {
                if (!_waiting.TryGetValue(item, out var current) || current != due)
                {
                    // Superseded by an earlier deadline for the same key, or already released.
                    _deadlines.Dequeue();
                    continue;
                }

                if (due > now)
                {
                    Arm(due);
                    break;
                }

                _deadlines.Dequeue();
                _waiting.Remove(item);
                (ready ??= []).Add(item);
            }
        }

        if (ready is not null)
        {
            foreach (var item in ready)
            {
                _queue.Add(item);
            }
        }
    }
}
