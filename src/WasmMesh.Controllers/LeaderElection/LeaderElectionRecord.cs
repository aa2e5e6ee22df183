namespace WasmMesh.Controllers;

/// <summary>
/// The state of a leader lock, as stored by an <see cref="ILeaderLock"/> (for Kubernetes, the spec of a
/// <c>coordination.k8s.io/v1</c> Lease).
/// </summary>
public sealed record LeaderElectionRecord
{
    /// <summary>The identity of the holder; empty when nobody holds the lock (it was released).</summary>
    public string HolderIdentity { get; init; } = string.Empty;

    /// <summary>How long the holder's claim lasts after its last renewal, as seen by the other candidates.</summary>
    public TimeSpan LeaseDuration { get; init; }

    /// <summary>When the current holder acquired the lock.</summary>
    public DateTimeOffset? AcquireTime { get; init; }

    /// <summary>When the current holder last renewed the lock.</summary>
    public DateTimeOffset? RenewTime { get; init; }

    /// <summary>How many times the lock changed hands.</summary>
    public int LeaderTransitions { get; init; }

    /// <summary>
    /// The store's opaque version of this record (for Kubernetes, the Lease's <c>resourceVersion</c>), used for
    /// optimistic concurrency by <see cref="ILeaderLock.UpdateAsync"/>; null for a record not read from the store.
    /// </summary>
    public string? Version { get; init; }
}
