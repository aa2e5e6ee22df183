namespace WasmMesh.Controllers;

/// <summary>What a <see cref="LeaderElector"/> calls as leadership changes.</summary>
public sealed class LeaderElectionCallbacks
{
    /// <summary>
    /// Called when this candidate becomes leader. Do the leader's work until the token is cancelled (leadership
    /// lost or shutdown); the elector waits for the returned task before it releases the lock.
    /// </summary>
    public required Func<CancellationToken, Task> OnStartedLeading { get; init; }

    /// <summary>Called after leading ends (lost or shut down), once <see cref="OnStartedLeading"/>'s task has finished.</summary>
    public Action? OnStoppedLeading { get; init; }

    /// <summary>Called with the holder's identity whenever a different holder is observed (including this candidate).</summary>
    public Action<string>? OnNewLeader { get; init; }
}
