using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace WasmMesh.Operator.Outputs;

/// <summary>An Istio resource as the API server stores it (EnvoyFilter, WasmPlugin or TrafficExtension); the spec kept as JSON.</summary>
internal sealed record IstioObjectResource : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The API version.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    /// <summary>The kind.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    /// <summary>The metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The spec.</summary>
    [JsonPropertyName("spec")]
    public JsonElement? Spec { get; init; }
}
