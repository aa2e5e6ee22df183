using k8s;
using k8s.Autorest;
using k8s.Models;
using WasmMesh.Kubernetes;

namespace WasmMesh.Controllers;

/// <summary>
/// An <see cref="ILeaderLock"/> stored in a <c>coordination.k8s.io/v1</c> Lease (<see cref="V1Lease"/>, read and
/// written through <see cref="IKubernetes"/>): <c>spec.holderIdentity</c>, <c>leaseDurationSeconds</c>,
/// <c>acquireTime</c>, <c>renewTime</c> and <c>leaseTransitions</c>, with optimistic concurrency on
/// <c>metadata.resourceVersion</c> (a stale update is a conflict, reported as null). The service account needs
/// <c>get</c>, <c>create</c> and <c>update</c> on <c>leases</c> in the lease namespace.
/// </summary>
public sealed class KubernetesLeaderLock : ILeaderLock
{
    private readonly IKubernetes _kubernetes;
    private readonly string _namespace;
    private readonly string _name;
    private readonly string _path;
    private volatile V1Lease? _lastSeen;

    /// <summary>Creates the lock.</summary>
    /// <param name="kubernetes">The Kubernetes client.</param>
    /// <param name="leaseNamespace">The Lease's namespace.</param>
    /// <param name="leaseName">The Lease's name.</param>
    public KubernetesLeaderLock(IKubernetes kubernetes, string leaseNamespace, string leaseName)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentException.ThrowIfNullOrEmpty(leaseNamespace);
        ArgumentException.ThrowIfNullOrEmpty(leaseName);
        _kubernetes = kubernetes;
        _namespace = leaseNamespace;
        _name = leaseName;
        _path = $"/apis/coordination.k8s.io/v1/namespaces/{leaseNamespace}/leases/{leaseName}";
        Description = $"lease {leaseNamespace}/{leaseName}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async Task<LeaderElectionRecord?> GetAsync(CancellationToken cancellationToken = default)
    {
        V1Lease? lease;
        try
        {
            lease = await _kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(_name, _namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            var mapped = KubernetesApiException.From(ex, "GET", _path);
            if (!mapped.IsNotFound)
            {
                throw mapped;
            }

            lease = null;
        }

        _lastSeen = lease;
        return lease is null ? null : ToRecord(lease);
    }

    /// <inheritdoc />
    public async Task<LeaderElectionRecord?> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var lease = new V1Lease
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new V1ObjectMeta { Name = _name, NamespaceProperty = _namespace },
            Spec = ToSpec(record, existing: null),
        };

        try
        {
            var created = await _kubernetes.CoordinationV1.CreateNamespacedLeaseAsync(lease, _namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            _lastSeen = created;
            return ToRecord(created);
        }
        catch (HttpOperationException ex)
        {
            var mapped = KubernetesApiException.From(ex, "POST", _path);
            return mapped.IsAlreadyExists || mapped.IsConflict ? null : throw mapped;
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
        var basis = lastSeen is not null && lastSeen.Metadata?.ResourceVersion == record.Version ? lastSeen : null;
        var lease = new V1Lease
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new V1ObjectMeta
            {
                Name = _name,
                NamespaceProperty = _namespace,
                ResourceVersion = record.Version,
                Labels = basis?.Metadata?.Labels,
                Annotations = basis?.Metadata?.Annotations,
                OwnerReferences = basis?.Metadata?.OwnerReferences,
            },
            Spec = ToSpec(record, basis?.Spec),
        };

        try
        {
            var replaced = await _kubernetes.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _name, _namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            _lastSeen = replaced;
            return ToRecord(replaced);
        }
        catch (HttpOperationException ex)
        {
            var mapped = KubernetesApiException.From(ex, "PUT", _path);
            return mapped.IsConflict || mapped.IsNotFound ? null : throw mapped;
        }
    }

    private static LeaderElectionRecord ToRecord(V1Lease lease)
    {
        var spec = lease.Spec ?? new V1LeaseSpec();
        return new LeaderElectionRecord
        {
            HolderIdentity = spec.HolderIdentity ?? string.Empty,
            LeaseDuration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? 0),
            AcquireTime = ToOffset(spec.AcquireTime),
            RenewTime = ToOffset(spec.RenewTime),
            LeaderTransitions = spec.LeaseTransitions ?? 0,
            Version = lease.Metadata?.ResourceVersion,
        };
    }

    private static V1LeaseSpec ToSpec(LeaderElectionRecord record, V1LeaseSpec? existing) => new()
    {
        HolderIdentity = record.HolderIdentity.Length == 0 ? null : record.HolderIdentity,
        LeaseDurationSeconds = (int)Math.Ceiling(record.LeaseDuration.TotalSeconds),
        AcquireTime = record.AcquireTime?.UtcDateTime,
        RenewTime = record.RenewTime?.UtcDateTime,
        LeaseTransitions = record.LeaderTransitions,
        PreferredHolder = existing?.PreferredHolder,
        Strategy = existing?.Strategy,
    };

    private static DateTimeOffset? ToOffset(DateTime? time) => time is { } t
        ? new DateTimeOffset(DateTime.SpecifyKind(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t, DateTimeKind.Utc))
        : null;
}
