using System.Text.Json;
using WasmMesh.Istio;
using WasmMesh.Istio.Extensions;
using WasmMesh.Istio.Rendering;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using k8s;
using k8s.Models;

namespace WasmMesh.Operator.Outputs;

/// <summary>
/// Writes generated Istio resources of every output kind idempotently (create, replace when changed, nothing when
/// equal) and deletes them only when the AutoWasm owns them.
/// </summary>
internal sealed class IstioOutputWriter
{
    internal static readonly IReadOnlyDictionary<string, KubernetesResourceType> Types = new Dictionary<string, KubernetesResourceType>(StringComparer.Ordinal)
    {
        [Istio.EnvoyFilters.EnvoyFilter.KindValue] = new() { Group = "networking.istio.io", Version = "v1alpha3", Plural = "envoyfilters", Kind = Istio.EnvoyFilters.EnvoyFilter.KindValue },
        [WasmPlugin.KindValue] = new() { Group = "extensions.istio.io", Version = "v1alpha1", Plural = "wasmplugins", Kind = WasmPlugin.KindValue },
        [TrafficExtension.KindValue] = new() { Group = "extensions.istio.io", Version = "v1alpha1", Plural = "trafficextensions", Kind = TrafficExtension.KindValue },
    };

    private readonly Dictionary<string, IKubernetesResourceClient<IstioObjectResource>> _clients;

    private readonly WriteOptions _write;

    private readonly OwnWrites? _ownWrites;

    public IstioOutputWriter(IKubernetes kubernetes, WriteOptions write, OwnWrites? ownWrites = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        _write = write;
        _ownWrites = ownWrites;
        _clients = Types.ToDictionary(t => t.Key, t => kubernetes.Resource(t.Value, OutputJsonContext.Default.IstioObjectResource), StringComparer.Ordinal);
    }

    /// <summary>The kinds the writer handles.</summary>
    public static IEnumerable<string> Kinds => Types.Keys;

    /// <summary>Converts a generated resource into the stored form.</summary>
    public static IstioObjectResource ToResource(IIstioResource resource)
    {
        using var document = IstioRenderer.ToJsonDocument(resource);
        var m = resource.Metadata;
        return new IstioObjectResource
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = m.Name,
                NamespaceProperty = m.NamespaceProperty,
                Labels = m.Labels?.ToDictionary(StringComparer.Ordinal),
                OwnerReferences = m.OwnerReferences is { Count: > 0 } owners ? owners.ToList() : null,
            },
            Spec = document.RootElement.GetProperty("spec").Clone(),
        };
    }

    /// <summary>Creates or replaces <paramref name="desired"/>; returns <c>created</c>, <c>updated</c> or <c>unchanged</c>.</summary>
    /// <exception cref="EnvoyFilterConflictException">An object of that kind and name exists that this AutoWasm does not own.</exception>
    public async Task<string> WriteAsync(AutoWasm owner, IstioObjectResource desired, CancellationToken cancellationToken)
    {
        var client = _clients[desired.Kind!];
        var ns = desired.Metadata.NamespaceProperty;
        var name = desired.Metadata.Name!;
        var existing = await client.TryGetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var created = await client.CreateAsync(desired, _write, cancellationToken).ConfigureAwait(false);
            _ownWrites?.Record(desired.Kind!, ns, name, created.Metadata.ResourceVersion);
            return "created";
        }

        if (!IsOwnedBy(existing, owner.Metadata.Uid))
        {
            throw new EnvoyFilterConflictException($"{desired.Kind} {ns}/{name} already exists and is not managed by this AutoWasm; delete or rename it, or rename the AutoWasm");
        }

        if (IsUpToDate(existing, desired))
        {
            // Verified as wanted at this version: the owned-output watch showing this version (its initial list after a
            // restart, which can arrive after this reconcile) needs no second reconcile.
            _ownWrites?.Record(desired.Kind!, ns, name, existing.Metadata.ResourceVersion);
            return "unchanged";
        }

        var labels = new Dictionary<string, string>(existing.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in desired.Metadata.Labels ?? new Dictionary<string, string>())
        {
            labels[k] = v;
        }

        var replacement = desired with
        {
            Metadata = new V1ObjectMeta
            {
                Name = existing.Metadata.Name,
                NamespaceProperty = existing.Metadata.NamespaceProperty,
                ResourceVersion = existing.Metadata.ResourceVersion,
                Uid = existing.Metadata.Uid,
                Annotations = existing.Metadata.Annotations,
                Finalizers = existing.Metadata.Finalizers,
                Labels = labels,
                OwnerReferences = desired.Metadata.OwnerReferences,
            },
        };
        var replaced = await client.ReplaceAsync(replacement, _write, cancellationToken).ConfigureAwait(false);
        _ownWrites?.Record(desired.Kind!, ns, name, replaced.Metadata.ResourceVersion);
        return "updated";
    }

    /// <summary>Deletes the object of <paramref name="kind"/> named <paramref name="name"/> when an AutoWasm of that name (and uid, when given) owns it.</summary>
    /// <returns>Whether it deleted.</returns>
    public async Task<bool> DeleteOwnedAsync(string kind, string ns, string name, string? ownerUid, CancellationToken cancellationToken)
    {
        if (!_clients.TryGetValue(kind, out var client))
        {
            return false;
        }

        var existing = await client.TryGetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var owned = existing?.Metadata.OwnerReferences?.Any(o => o.Kind == AutoWasm.KindValue && o.Name == name && (ownerUid is null || o.Uid == ownerUid)) == true;
        if (!owned)
        {
            return false;
        }

        await client.DeleteAsync(ns, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static bool IsOwnedBy(IstioObjectResource existing, string? ownerUid)
        => existing.Metadata.OwnerReferences?.Any(o => o.Kind == AutoWasm.KindValue && o.Uid == ownerUid) == true;

    private static bool IsUpToDate(IstioObjectResource existing, IstioObjectResource desired)
    {
        var same = (existing.Spec, desired.Spec) switch
        {
            (null, null) => true,
            ({ } a, { } b) => JsonElement.DeepEquals(a, b),
            _ => false,
        };
        if (!same)
        {
            return false;
        }

        foreach (var (key, value) in desired.Metadata.Labels ?? new Dictionary<string, string>())
        {
            if (existing.Metadata.Labels is null || !existing.Metadata.Labels.TryGetValue(key, out var current) || current != value)
            {
                return false;
            }
        }

        foreach (var owner in desired.Metadata.OwnerReferences ?? [])
        {
            if (existing.Metadata.OwnerReferences?.Any(o => o.Uid == owner.Uid && o.Controller == owner.Controller) != true)
            {
                return false;
            }
        }

        return true;
    }
}
