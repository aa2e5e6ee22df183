namespace WasmMesh.Controllers;

/// <summary>
/// The shared record leader candidates compete for (a Kubernetes Lease, or <see cref="InMemoryLeaderLock"/>
/// in tests). It only stores the record with optimistic concurrency; <see cref="LeaderElector"/> holds the
/// election logic (expiry is judged by the candidate's own clock, never by comparing clocks across machines).
/// Implementations throw on transport errors; the elector treats a throw as a failed attempt and retries.
/// </summary>
public interface ILeaderLock
{
    /// <summary>What the lock is, for logs (for example <c>lease wasmer-system/wasmer</c>).</summary>
    string Description { get; }

    /// <summary>Reads the record.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record with its <see cref="LeaderElectionRecord.Version"/>, or null when the lock does not exist yet.</returns>
    Task<LeaderElectionRecord?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the lock with <paramref name="record"/>.</summary>
    /// <param name="record">The record to store (its <see cref="LeaderElectionRecord.Version"/> is ignored).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored record with its new version, or null when the lock already exists.</returns>
    Task<LeaderElectionRecord?> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces the record if it is still at <paramref name="record"/>'s <see cref="LeaderElectionRecord.Version"/>.</summary>
    /// <param name="record">The new record; its version is the one it replaces.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored record with its new version, or null when the record changed (or was deleted) since that version was read.</returns>
    Task<LeaderElectionRecord?> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default);
}
