using WasmMesh.Kubernetes;

namespace WasmMesh.Controllers;

/// <summary>
/// An <see cref="ILeaderLock"/> stored in a <c>coordination.k8s.io/v1</c> Lease: <c>spec.holderIdentity</c>,
/// <c>leaseDurationSeconds</c>, <c>acquireTime</c>, <c>renewTime</c> and <c>leaseTransitions</c>, with optimistic
/// concurrency on <c>metadata.resourceVersion</c> (a stale update is a conflict, reported as null). The service
/// account needs <c>get</c>, <c>create</c> and <c>update</c> on <c>leases</c> in the lease namespace.
/// </summary>
public sealed class KubernetesLeaderLock : ILeaderLock
{
    private readonly IKubernetesResourceClient<Lease> _leases;
    private readonly string _namespace;
    private readonly string _name;
    private volatile Lease? _lastSeen;

    /// <summary>Creates the lock.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="leaseNamespace">The Lease's namespace.</param>
    /// <param name="leaseName">The Lease's name.</param>
    public KubernetesLeaderLock(IKubernetesClient client, string leaseNamespace, string leaseName)
        : this(client?.Leases()!, leaseNamespace, leaseName)
    {
    }

    /// <summary>Creates the lock over a Lease resource client.</summary>
    /// <param name="leases">The Lease resource client.</param>
    /// <param name="leaseNamespace">The Lease's namespace.</param>
    /// <param name="leaseName">The Lease's name.</param>
    public KubernetesLeaderLock(IKubernetesResourceClient<Lease> leases, string leaseNamespace, string leaseName)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentException.ThrowIfNullOrEmpty(leaseNamespace);
        ArgumentException.ThrowIfNullOrEmpty(leaseName);
        _leases = leases;
        _namespace = leaseNamespace;
        _name = leaseName;
        Description = $"lease {leaseNamespace}/{leaseName}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async Task<LeaderElectionRecord?> GetAsync(CancellationToken cancellationToken = default)
    {
        var lease = await _leases.TryGetAsync(_namespace, _name, cancellationToken);
        _lastSeen = lease;
        return lease is null ? null : ToRecord(lease);
    }

    /// <inheritdoc />
    public async Task<LeaderElectionRecord?> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var lease = new Lease
        {
            Metadata = new ObjectMeta { Name = _name, Namespace = _namespace },
            Spec = ToSpec(record, existing: null),
        };

        try
        {
            var created = await _leases.CreateAsync(lease, cancellationToken: cancellationToken);
            _lastSeen = created;
            return ToRecord(created);
        }
        catch (KubernetesApiException ex) when (ex.IsAlreadyExists || ex.IsConflict)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<LeaderElectionRecord?> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.Version))
        {
            throw new ArgumentException("The record has no version: update a record read with GetAsync so concurrent writers are detected.", nameof(record));
        }

        // Keep whatever else the Lease carries (labels, annotations, strategy) when it is the version being replaced.
        var lastSeen = _lastSeen;
        var basis = lastSeen is not null && lastSeen.Metadata.ResourceVersion == record.Version
            ? lastSeen
            : new Lease { Metadata = new ObjectMeta { Name = _name, Namespace = _namespace } };
        var lease = basis with
        {
            Metadata = basis.Metadata with { ResourceVersion = record.Version, ManagedFields = null },
            Spec = ToSpec(record, basis.Spec),
        };

        try
        {
            var replaced = await _leases.ReplaceAsync(lease, cancellationToken: cancellationToken);
            _lastSeen = replaced;
            return ToRecord(replaced);
        }
        catch (KubernetesApiException ex) when (ex.IsConflict || ex.IsNotFound)
        {
            return null;
        }
    }

    private static LeaderElectionRecord ToRecord(Lease lease)
    {
        var spec = lease.Spec ?? new LeaseSpec();
        return new LeaderElectionRecord
        {
            HolderIdentity = spec.HolderIdentity ?? string.Empty,
            LeaseDuration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? 0),
            AcquireTime = spec.AcquireTime,
            RenewTime = spec.RenewTime,
            LeaderTransitions = spec.LeaseTransitions ?? 0,
            Version = lease.Metadata.ResourceVersion,
        };
    }

    private static LeaseSpec ToSpec(LeaderElectionRecord record, LeaseSpec? existing)
        => (existing ?? new LeaseSpec()) with
        {
            HolderIdentity = record.HolderIdentity.Length == 0 ? null : record.HolderIdentity,
            LeaseDurationSeconds = (int)Math.Ceiling(record.LeaseDuration.TotalSeconds),
            AcquireTime = record.AcquireTime,
            RenewTime = record.RenewTime,
            LeaseTransitions = record.LeaderTransitions,
        };
}
