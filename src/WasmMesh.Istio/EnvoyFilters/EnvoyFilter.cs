using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>
/// An Istio <c>networking.istio.io/v1alpha3</c> EnvoyFilter: what the builder produces, what <c>wasmc render</c>
/// prints, and what the operator writes to the cluster (one object model).
/// </summary>
[KubernetesEntity(Group = Group, ApiVersion = Version, Kind = KindValue, PluralName = Plural)]
public sealed record EnvoyFilter : IKubernetesObject<V1ObjectMeta>, ISpec<EnvoyFilterSpec>, IIstioResource
{
    /// <summary>The API group.</summary>
    public const string Group = "networking.istio.io";

    /// <summary>The API version of this type.</summary>
    public const string Version = "v1alpha3";

    /// <summary>The resource's plural name.</summary>
    public const string Plural = "envoyfilters";

    /// <summary><c>networking.istio.io/v1alpha3</c>.</summary>
    public const string ApiVersionValue = "networking.istio.io/v1alpha3";

    /// <summary><c>EnvoyFilter</c>.</summary>
    public const string KindValue = "EnvoyFilter";

    /// <summary>The API version.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    /// <summary>The kind.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    /// <summary>Object metadata (KubernetesClient's <see cref="V1ObjectMeta"/>).</summary>
    [JsonPropertyName("metadata")]
    public required V1ObjectMeta Metadata { get; set; }

    /// <summary>The patches and the workloads they apply to.</summary>
    [JsonPropertyName("spec")]
    public required EnvoyFilterSpec Spec { get; set; }
}
