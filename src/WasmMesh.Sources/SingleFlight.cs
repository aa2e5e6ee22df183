using System.Collections.Concurrent;

namespace WasmMesh.Sources;

/// <summary>Runs one operation per key at a time; concurrent callers for the same key share its result or failure.</summary>
internal sealed class SingleFlight<TKey, TResult>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TResult>> _inFlight;

    public SingleFlight(IEqualityComparer<TKey>? comparer = null) => _inFlight = new ConcurrentDictionary<TKey, Task<TResult>>(comparer);

    /// <summary>The number of operations running.</summary>
    public int Count => _inFlight.Count;

    /// <summary>Joins the operation running for <paramref name="key"/>, or starts <paramref name="operation"/>.</summary>
    /// <remarks>The operation runs to completion even when every caller stops waiting; give it its own timeout.</remarks>
    public Task<TResult> RunAsync<TState>(TKey key, TState state, Func<TState, Task<TResult>> operation)
    {
        while (true)
        {
            if (_inFlight.TryGetValue(key, out var running))
            {
                return running;
            }

            var completion = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(key, completion.Task))
            {
                continue;
            }

            _ = ExecuteAsync(key, completion, state, operation);
            return completion.Task;
        }
    }

    private async Task ExecuteAsync<TState>(TKey key, TaskCompletionSource<TResult> completion, TState state, Func<TState, Task<TResult>> operation)
    {
        TResult result;
        try
        {
            await Task.Yield();
            result = await operation(state).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // every failure is handed to the waiting callers
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _inFlight.TryRemove(new KeyValuePair<TKey, Task<TResult>>(key, completion.Task));
            completion.SetException(ex);
            return;
        }

        _inFlight.TryRemove(new KeyValuePair<TKey, Task<TResult>>(key, completion.Task));
        completion.SetResult(result);
    }
}
