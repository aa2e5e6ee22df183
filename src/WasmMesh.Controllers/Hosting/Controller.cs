using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WasmMesh.Controllers;

/// <summary>
/// One controller: a rate-limited work queue of object keys, drained by
/// <see cref="ControllerOptions.MaxConcurrentReconciles"/> workers. Each <see cref="RunAsync"/> gets a new
/// queue, so a controller can be stopped and started again (the sources replay the keys).
/// </summary>
internal sealed class Controller : IController
{
    private readonly Func<ReconcileRequest, CancellationToken, Task<ReconcileResult>> _reconcile;
    private readonly IReadOnlyList<IControllerSource> _sources;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;
    private volatile RateLimitingWorkQueue<ObjectKey>? _queue;
    private volatile string? _sourceFailure;
    private int _running;

    public Controller(
        string name,
        Func<ReconcileRequest, CancellationToken, Task<ReconcileResult>> reconcile,
        ControllerOptions options,
        IReadOnlyList<IControllerSource>? sources = null,
        TimeProvider? timeProvider = null,
        ControllerMetrics? metrics = null,
        ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(reconcile);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _reconcile = reconcile;
        _options = options;
        _sources = sources ?? [];
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metrics = metrics ?? new ControllerMetrics();
        _logger = logger ?? NullLogger.Instance;
    }

    public string Name { get; }

    public bool IsRunning => _queue is not null;

    public int QueueLength => _queue?.Count ?? 0;

    /// <summary>
    /// Why a source stopped feeding keys while the controller ran (it threw, or its stream ended), or null. Set until
    /// the controller starts again: a controller whose source failed gets no keys, so it is reported unhealthy.
    /// </summary>
    public string? SourceFailure => _sourceFailure;

    /// <summary>The running queue, for tests.</summary>
    internal RateLimitingWorkQueue<ObjectKey>? Queue => _queue;

    public void Enqueue(ObjectKey key) => _queue?.Add(key);

    public void EnqueueAfter(ObjectKey key, TimeSpan delay) => _queue?.AddAfter(key, delay);

    /// <summary>Runs the sources and workers until <paramref name="cancellationToken"/> is cancelled, then waits for reconciles in progress.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"Controller '{Name}' is already running.");
        }

        var rateLimiter = RateLimiters.Create<ObjectKey>(_options.BaseRetryDelay, _options.MaxRetryDelay, _options.RetriesPerSecond, _options.RetryBurst, _timeProvider);
        using var queue = new RateLimitingWorkQueue<ObjectKey>(rateLimiter, _timeProvider);
        try
        {
            Log.ControllerStarting(_logger, Name, _options.MaxConcurrentReconciles);
            _sourceFailure = null;
            _queue = queue;
            _metrics.TrackQueue(Name, () => queue.Count);

            var sources = new Task[_sources.Count];
            for (var i = 0; i < sources.Length; i++)
            {
                sources[i] = RunSourceAsync(_sources[i], cancellationToken);
            }

            var workers = new Task[_options.MaxConcurrentReconciles];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Run(() => WorkAsync(queue, cancellationToken), CancellationToken.None);
            }

            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), stopped))
            {
                await stopped.Task;
            }

            Log.ControllerStopping(_logger, Name);
            _queue = null;
            queue.ShutDown();
            await Task.WhenAll(workers);
            await Task.WhenAll(sources);
            Log.ControllerStopped(_logger, Name);
        }
        finally
        {
            _queue = null;
            _metrics.UntrackQueue(Name);
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task RunSourceAsync(IControllerSource source, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var sourceName = SourceName(source);
        try
        {
            await source.RunAsync(this, cancellationToken);
            if (!cancellationToken.IsCancellationRequested)
            {
                _sourceFailure = $"source {sourceName} stopped feeding keys";
                Log.SourceEnded(_logger, Name, sourceName);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // A failing source must not take the controller down; it is logged and reported by the health check.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _sourceFailure = $"source {sourceName} failed: {ex.Message}";
            Log.SourceFailed(_logger, ex, Name, sourceName);
        }
    }

    private static string SourceName(IControllerSource source)
    {
        var type = source.GetType();
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>";
    }

    private async Task WorkAsync(RateLimitingWorkQueue<ObjectKey> queue, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (key, shutDown) = await queue.GetAsync(CancellationToken.None);
            if (shutDown)
            {
                return;
            }

            _metrics.WorkerStarted(Name);
            try
            {
                await ReconcileAsync(queue, key, cancellationToken);
            }
            finally
            {
                _metrics.WorkerFinished(Name);
                queue.Done(key);
            }
        }
    }

    private async Task ReconcileAsync(RateLimitingWorkQueue<ObjectKey> queue, ObjectKey key, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        using var activity = ControllerActivity.Source.StartActivity("wasmmesh.reconcile");
        activity?.SetTag("wasmmesh.controller", Name);
        activity?.SetTag("wasmmesh.object", key.ToString());
        string outcome;
        try
        {
            var result = await _reconcile(new ReconcileRequest(key), cancellationToken);
            switch (result.Kind)
            {
                case ReconcileResultKind.RequeueAfter:
                    queue.Forget(key);
                    queue.AddAfter(key, result.Delay);
                    outcome = "requeue_after";
                    break;
                case ReconcileResultKind.Requeue:
                    queue.AddRateLimited(key);
                    outcome = "requeue";
                    break;
                default:
                    queue.Forget(key);
                    outcome = "success";
                    break;
            }

            Log.Reconciled(_logger, Name, key, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.ReconcileCanceled(_logger, Name, key);
            return;
        }
        catch (TerminalReconcileException ex)
        {
            queue.Forget(key);
            outcome = "terminal_error";
            _metrics.RecordError(Name, terminal: true);
            Log.ReconcileFailedTerminally(_logger, ex, Name, key);
        }
#pragma warning disable CA1031 // Reconciler failures are logged, counted and retried; never fatal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            queue.AddRateLimited(key);
            outcome = "error";
            _metrics.RecordError(Name, terminal: false);
            Log.ReconcileFailed(_logger, ex, Name, key, queue.NumRequeues(key));
        }

        activity?.SetTag("wasmmesh.reconcile.result", outcome);
        if (outcome is "error" or "terminal_error")
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
        }

        _metrics.RecordReconcile(Name, outcome, _timeProvider.GetElapsedTime(started));
    }
}
