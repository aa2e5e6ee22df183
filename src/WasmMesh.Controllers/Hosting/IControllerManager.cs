namespace WasmMesh.Controllers;

/// <summary>
/// The hosted service that runs the registered controllers: it waits for the <see cref="IStartupGate"/>s
/// (then <see cref="IsReady"/>), campaigns for leadership, and runs the controllers only while it leads.
/// Replicas that do not lead keep serving everything else. Resolve it to report readiness (<c>/readyz</c>).
/// </summary>
public interface IControllerManager
{
    /// <summary>True once every startup gate has opened (informer caches synced); stays true afterwards.</summary>
    bool IsReady { get; }

    /// <summary>True while this replica leads (always true after the gates when leader election is disabled) and runs the controllers.</summary>
    bool IsLeader { get; }

    /// <summary>The identity of the leader last observed, or null when unknown.</summary>
    string? CurrentLeader { get; }

    /// <summary>The registered controllers.</summary>
    IReadOnlyList<IController> Controllers { get; }

    /// <summary>Finds a controller by name.</summary>
    /// <param name="name">The name given to <c>AddController</c>.</param>
    /// <returns>The controller.</returns>
    /// <exception cref="KeyNotFoundException">No controller has that name.</exception>
    IController GetController(string name);

    /// <summary>
    /// Reports each controller's health: its startup gates opened (informer caches synced), it runs on the leader or
    /// stands by on another replica, and none of its sources failed. Readiness to serve is a separate question.
    /// </summary>
    /// <returns>One entry per registered controller, in registration order.</returns>
    IReadOnlyList<ControllerHealth> CheckHealth();

    /// <summary>Completes when <see cref="IsReady"/> becomes true.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when ready.</returns>
    Task WaitUntilReadyAsync(CancellationToken cancellationToken = default);
}
