using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace WasmMesh.Controllers;

/// <summary>
/// The controller instruments, on the meter <c>WasmMesh.Controllers</c>:
/// <c>wasmmesh.controller.reconciles</c> (counter; tags controller, result = success | requeue | requeue_after | error | terminal_error),
/// <c>wasmmesh.controller.reconcile.errors</c> (counter; tags controller, terminal),
/// <c>wasmmesh.controller.reconcile.duration</c> (histogram, seconds; tag controller),
/// <c>wasmmesh.controller.queue.depth</c> (gauge; tag controller),
/// <c>wasmmesh.controller.workers.active</c> (up-down counter; tag controller),
/// <c>wasmmesh.leader_election.leader</c> (gauge, 1 while this replica leads).
/// </summary>
internal sealed class ControllerMetrics : IDisposable
{
    public const string MeterName = "WasmMesh.Controllers";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly ConcurrentDictionary<string, Func<int>> _queues = new(StringComparer.Ordinal);
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<int> _activeWorkers;
    private int _leader;

    public ControllerMetrics(IMeterFactory? meterFactory = null)
        : this(meterFactory?.Create(MeterName) ?? new Meter(MeterName), ownsMeter: meterFactory is null)
    {
    }

    internal ControllerMetrics(Meter meter, bool ownsMeter)
    {
        _meter = meter;
        _ownsMeter = ownsMeter;
        _reconciles = meter.CreateCounter<long>("wasmmesh.controller.reconciles", "{reconcile}", "Reconciles by controller and result.");
        _errors = meter.CreateCounter<long>("wasmmesh.controller.reconcile.errors", "{error}", "Reconciles that failed with an exception.");
        _duration = meter.CreateHistogram<double>("wasmmesh.controller.reconcile.duration", "s", "How long reconciles took.");
        _activeWorkers = meter.CreateUpDownCounter<int>("wasmmesh.controller.workers.active", "{worker}", "Workers currently reconciling.");
        meter.CreateObservableGauge("wasmmesh.controller.queue.depth", ObserveQueues, "{key}", "Keys waiting to be reconciled.");
        meter.CreateObservableGauge("wasmmesh.leader_election.leader", () => Volatile.Read(ref _leader), "{leader}", "1 while this replica holds the leader lease, else 0.");
    }

    public Meter Meter => _meter;

    public void RecordReconcile(string controller, string result, TimeSpan duration)
    {
        var controllerTag = new KeyValuePair<string, object?>("controller", controller);
        _reconciles.Add(1, controllerTag, new KeyValuePair<string, object?>("result", result));
        _duration.Record(duration.TotalSeconds, controllerTag);
    }

    public void RecordError(string controller, bool terminal)
        => _errors.Add(1, new KeyValuePair<string, object?>("controller", controller), new KeyValuePair<string, object?>("terminal", terminal ? "true" : "false"));

    public void WorkerStarted(string controller) => _activeWorkers.Add(1, new KeyValuePair<string, object?>("controller", controller));

    public void WorkerFinished(string controller) => _activeWorkers.Add(-1, new KeyValuePair<string, object?>("controller", controller));

    public void TrackQueue(string controller, Func<int> depth) => _queues[controller] = depth;

    public void UntrackQueue(string controller) => _queues.TryRemove(controller, out _);

    public void SetLeader(bool leader) => Volatile.Write(ref _leader, leader ? 1 : 0);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private IEnumerable<Measurement<int>> ObserveQueues()
    {
        foreach (var (controller, depth) in _queues)
        {
            yield return new Measurement<int>(depth(), new KeyValuePair<string, object?>("controller", controller));
        }
    }
}
