using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Kubernetes;
using WasmMesh.Model;

namespace WasmMesh.Operator.Resources;

/// <summary>Converts between Kubernetes resources and the model/Istio types the builder works with.</summary>
public static class ResourceMapper
{
    /// <summary>The model view of an AutoWasm resource (for validation and the EnvoyFilter builder).</summary>
    /// <param name="resource">The resource read from the API.</param>
    /// <returns>The model, or null when the resource has no spec.</returns>
    public static AutoWasm? ToModel(AutoWasmResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Spec is null)
        {
            return null;
        }

        var m = resource.Metadata;
        return new AutoWasm
        {
            ApiVersion = resource.ApiVersion ?? AutoWasm.ApiVersionValue,
            Kind = resource.Kind ?? AutoWasm.KindValue,
            Metadata = new ObjectMetadata
            {
                Name = m.Name,
                Namespace = m.Namespace,
                Uid = m.Uid,
                Generation = m.Generation,
                ResourceVersion = m.ResourceVersion,
                Labels = m.Labels is null ? null : LabelMap.From(m.Labels),
            },
            Spec = resource.Spec,
            Status = resource.Status,
        };
    }

    /// <summary>The Kubernetes resource for a built EnvoyFilter.</summary>
    /// <param name="filter">The EnvoyFilter from the builder.</param>
    /// <returns>The resource to create or replace.</returns>
    public static EnvoyFilterResource ToResource(EnvoyFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var m = filter.Metadata;
        return new EnvoyFilterResource
        {
            ApiVersion = filter.ApiVersion,
            Kind = filter.Kind,
            Metadata = new ObjectMeta
            {
                Name = m.Name,
                Namespace = m.Namespace,
                Labels = m.Labels?.ToDictionary(StringComparer.Ordinal),
                OwnerReferences = m.OwnerReferences.IsEmpty
                    ? null
                    : m.OwnerReferences.Select(o => new Kubernetes.OwnerReference
                    {
                        ApiVersion = o.ApiVersion,
                        Kind = o.Kind,
                        Name = o.Name,
                        Uid = o.Uid,
                        Controller = o.Controller,
                        BlockOwnerDeletion = o.BlockOwnerDeletion,
                    }).ToList(),
            },
            Spec = filter.Spec,
        };
    }

    /// <summary>Whether an existing EnvoyFilter is controlled by the AutoWasm with the given uid.</summary>
    /// <param name="existing">The EnvoyFilter.</param>
    /// <param name="ownerUid">The AutoWasm's uid.</param>
    /// <returns>Whether it carries a controller owner reference to that AutoWasm.</returns>
    public static bool IsOwnedBy(EnvoyFilterResource existing, string? ownerUid)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return existing.Metadata.OwnerReferences?.Any(o => o.Kind == AutoWasm.KindValue && o.Uid == ownerUid) == true;
    }

    /// <summary>Whether an existing EnvoyFilter already has the desired spec, labels and owners (so no write is needed).</summary>
    /// <param name="existing">The EnvoyFilter in the API.</param>
    /// <param name="desired">The EnvoyFilter the builder produced.</param>
    /// <returns>Whether they match.</returns>
    public static bool IsUpToDate(EnvoyFilterResource existing, EnvoyFilterResource desired)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(desired);
        if (!Equals(existing.Spec, desired.Spec))
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
