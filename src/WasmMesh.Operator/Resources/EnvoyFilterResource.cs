using System.Text.Json.Serialization;
using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Kubernetes;

namespace WasmMesh.Operator.Resources;

/// <summary>An Istio EnvoyFilter as stored in the Kubernetes API.</summary>
public sealed record EnvoyFilterResource : KubernetesObject
{
    /// <summary>The resource type (<c>envoyfilters.networking.istio.io/v1alpha3</c>).</summary>
    public static KubernetesResourceType ResourceType { get; } = new()
    {
        Group = "networking.istio.io",
        Version = "v1alpha3",
        Plural = "envoyfilters",
        Kind = EnvoyFilter.KindValue,
    };

    /// <summary>The spec.</summary>
    [JsonPropertyName("spec")]
    public EnvoyFilterSpec? Spec { get; init; }
}
