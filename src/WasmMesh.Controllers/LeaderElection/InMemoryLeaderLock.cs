using System.Globalization;

namespace WasmMesh.Controllers;

/// <summary>
/// An <see cref="ILeaderLock"/> kept in memory: share one instance between several <see cref="LeaderElector"/>s
/// to elect a leader among them in one process (tests, single-process development). Thread-safe; every
/// call completes synchronously.
/// </summary>
public sealed class InMemoryLeaderLock : ILeaderLock
{
    private readonly Lock _lock = new();
    private LeaderElectionRecord? _record;
    private long _version;

    /// <summary>Creates an empty lock (no record yet).</summary>
    /// <param name="description">What the lock is, for logs.</param>
    public InMemoryLeaderLock(string description = "in-memory lock")
    {
        Description = description;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The stored record, or null when none was created.</summary>
    public LeaderElectionRecord? Current
    {
        get
        {
            lock (_lock)
            {
                return _record;
            }
        }
    }

    /// <inheritdoc />
    public Task<LeaderElectionRecord?> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Current);
    }

    /// <inheritdoc />
    public Task<LeaderElectionRecord?> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_record is null ? Store(record) : null);
        }
    }

    /// <inheritdoc />
    public Task<LeaderElectionRecord?> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_record is not null && _record.Version == record.Version ? Store(record) : null);
        }
    }

    // Called under the lock.
    private LeaderElectionRecord Store(LeaderElectionRecord record)
    {
        _version++;
        _record = record with { Version = _version.ToString(CultureInfo.InvariantCulture) };
        return _record;
    }
}
