namespace WasmMesh.Controllers;

/// <summary>
/// Level-based reconcile logic for one kind of object. The controller calls <see cref="ReconcileAsync"/>
/// with an object's key whenever it may be out of date; the reconciler reads the current state (usually
/// from an informer cache), makes the world match it, and returns what to do next. It is never called
/// for the same key on two workers at once, but is called concurrently for different keys.
/// </summary>
public interface IReconciler
{
    /// <summary>Reconciles one object.</summary>
    /// <param name="request">The object's key. The object may have been deleted.</param>
    /// <param name="cancellationToken">Cancelled when the controller stops (shutdown or lost leadership).</param>
    /// <returns>
    /// What to do next. Throw to retry with exponential backoff; throw <see cref="TerminalReconcileException"/>
    /// for a failure that retrying cannot fix.
    /// </returns>
    Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken = default);
}
