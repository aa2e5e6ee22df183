using System.Text.Json.Serialization;
using WasmMesh.Model;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>An Istio <c>networking.istio.io/v1alpha3</c> EnvoyFilter.</summary>
public sealed record EnvoyFilter : IIstioResource
{
    /// <summary><c>networking.istio.io/v1alpha3</c>.</summary>
    public const string ApiVersionValue = "networking.istio.io/v1alpha3";

    /// <summary><c>EnvoyFilter</c>.</summary>
    public const string KindValue = "EnvoyFilter";

    /// <summary>The API version.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = ApiVersionValue;

    /// <summary>The kind.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = KindValue;

    /// <summary>Object metadata.</summary>
    [JsonPropertyName("metadata")]
    public required ObjectMetadata Metadata { get; init; }

    /// <summary>The patches and the workloads they apply to.</summary>
    [JsonPropertyName("spec")]
    public required EnvoyFilterSpec Spec { get; init; }
}
