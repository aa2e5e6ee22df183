namespace WasmMesh.Controllers;

/// <summary>
/// A running (or idle) controller: a work queue of object keys drained by workers that call an
/// <see cref="IReconciler"/>. Keys are accepted only while the controller runs (while this replica leads);
/// its <see cref="IControllerSource"/>s replay every known key each time it starts.
/// </summary>
public interface IController
{
    /// <summary>The controller's unique name (used in logs and metrics).</summary>
    string Name { get; }

    /// <summary>True while the controller's workers run.</summary>
    bool IsRunning { get; }

    /// <summary>The number of keys waiting to be reconciled (zero when not running).</summary>
    int QueueLength { get; }

    /// <summary>Queues the key for reconciling (deduplicated). Ignored when the controller is not running.</summary>
    /// <param name="key">The object's key.</param>
    void Enqueue(ObjectKey key);

    /// <summary>Queues the key for reconciling after a delay. Ignored when the controller is not running.</summary>
    /// <param name="key">The object's key.</param>
    /// <param name="delay">How long to wait.</param>
    void EnqueueAfter(ObjectKey key, TimeSpan delay);
}
