namespace WasmMesh.Operator;

/// <summary>
/// Runs fetches off the reconcile workers under their own concurrency limit. A reconcile asks for its owner's fetch
/// (<see cref="GetOrStart"/>): the first call starts it and returns <see cref="FetchStage.Queued"/>; later calls return
/// its progress without waiting; when it finishes, <c>onCompleted</c> is called with the owner so the owner's key is
/// queued again, and the next call hands out the result once. A hanging source therefore holds one fetch slot, never a
/// worker, and other owners keep reconciling.
/// </summary>
/// <typeparam name="TResult">The fetch result.</typeparam>
internal sealed class FetchScheduler<TResult> : IAsyncDisposable
    where TResult : class
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _running = [];
    private bool _disposed;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="maxConcurrentFetches">How many fetches run at once.</param>
    /// <param name="time">The clock (for <see cref="FetchState{TResult}.Since"/>).</param>
    public FetchScheduler(int maxConcurrentFetches, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentFetches, 1);
        ArgumentNullException.ThrowIfNull(time);
        _slots = new SemaphoreSlim(maxConcurrentFetches, maxConcurrentFetches);
        _time = time;
    }

    /// <summary>How many fetches are queued or running.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Count(e => !e.Completed);
            }
        }
    }

    /// <summary>
    /// The state of <paramref name="owner"/>'s fetch of <paramref name="version"/>, starting it when there is none. A
    /// fetch of another version of the same owner is cancelled and replaced (the spec changed). A finished fetch is
    /// handed out once and then forgotten, so the next call starts a new fetch.
    /// </summary>
    /// <param name="owner">The owner (an object key).</param>
    /// <param name="version">What is fetched (for example the source and the object's generation).</param>
    /// <param name="fetch">Starts the fetch; called at most once per scheduled fetch, on a thread-pool thread.</param>
    /// <param name="onCompleted">Called with <paramref name="owner"/> when the fetch finished (not when cancelled).</param>
    /// <returns>The fetch's state.</returns>
    public FetchState<TResult> GetOrStart(string owner, string version, Func<CancellationToken, Task<TResult>> fetch, Action<string> onCompleted)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(onCompleted);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(owner, out var existing))
            {
                if (existing.Version == version)
                {
                    if (!existing.Completed)
                    {
                        return new(existing.Running ? FetchStage.Running : FetchStage.Queued, existing.Since);
                    }

                    _entries.Remove(owner);
                    existing.Dispose();
                    return existing.Error is null
                        ? new(FetchStage.Succeeded, existing.Since, existing.Result)
                        : new(FetchStage.Failed, existing.Since, Error: existing.Error);
                }

                _entries.Remove(owner);
                existing.Cancel();
            }

            var entry = new Entry(version, _time.GetUtcNow());
            _entries[owner] = entry;
            var task = Task.Run(() => RunAsync(owner, entry, fetch, onCompleted));
            _running.Add(task);
            _ = task.ContinueWith(t => Forget(t), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return new(FetchStage.Queued, entry.Since);
        }
    }

    /// <summary>A task that completes when the owner's current fetch (if any) has finished or was cancelled.</summary>
    /// <param name="owner">The owner.</param>
    /// <returns>The task; completed when the owner has no fetch in progress.</returns>
    public Task WhenSettled(string owner)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(owner, out var entry) && !entry.Completed ? entry.Settled : Task.CompletedTask;
        }
    }

    /// <summary>Whether the owner has a fetch that is in progress or whose result was not handed out yet.</summary>
    /// <param name="owner">The owner.</param>
    /// <returns>True when a fetch is scheduled.</returns>
    public bool Has(string owner)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(owner);
        }
    }

    /// <summary>Cancels and forgets the owner's fetch, if any (the owner was deleted).</summary>
    /// <param name="owner">The owner.</param>
    public void Cancel(string owner)
    {
        lock (_gate)
        {
            if (_entries.Remove(owner, out var entry))
            {
                entry.Cancel();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var entry in _entries.Values)
            {
                entry.Cancel();
            }

            _entries.Clear();
            running = [.. _running];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _slots.Dispose();
    }

    /// <summary>
    /// Lets a cancelled fetch that has not noticed its cancellation yet finish on its own: its outcome is observed (and
    /// dropped), and it holds no slot.
    /// </summary>
    private static void Abandon(Task fetch)
        => _ = fetch.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void Forget(Task task)
    {
        lock (_gate)
        {
            _running.Remove(task);
        }
    }

    private async Task RunAsync(string owner, Entry entry, Func<CancellationToken, Task<TResult>> fetch, Action<string> onCompleted)
    {
        var token = entry.Token;
        TResult? result = null;
        Exception? error = null;
        try
        {
            await _slots.WaitAsync(token).ConfigureAwait(false);
            try
            {
                lock (_gate)
                {
                    entry.Running = true;
                }

                // The slot is held until the fetch ends or is cancelled, whichever comes first: a download that notices
                // cancellation late (or never) must not keep a replaced or deleted owner's slot from the next fetch.
                var running = fetch(token);
                try
                {
                    result = await running.WaitAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    Abandon(running);
                    throw;
                }
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            entry.MarkSettled();
            return; // replaced, cancelled or disposed: nobody waits for this result
        }
#pragma warning disable CA1031 // Any failure is the fetch's outcome, handed to the reconcile that classifies it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }

        lock (_gate)
        {
            entry.Result = result;
            entry.Error = error;
            entry.Completed = true;
            if (!_entries.TryGetValue(owner, out var current) || !ReferenceEquals(current, entry))
            {
                entry.MarkSettled();
                return;
            }
        }

        onCompleted(owner);
        entry.MarkSettled();
    }

    private sealed class Entry(string version, DateTimeOffset since) : IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new();
        private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Settled => _settled.Task;

        public void MarkSettled() => _settled.TrySetResult();

        public string Version { get; } = version;

        public DateTimeOffset Since { get; } = since;

        public CancellationToken Token => _cancellation.Token;

        public bool Running { get; set; }

        public bool Completed { get; set; }

        public TResult? Result { get; set; }

        public Exception? Error { get; set; }

        public void Cancel()
        {
            _cancellation.Cancel();
        }

        public void Dispose() => _cancellation.Dispose();
    }
}
