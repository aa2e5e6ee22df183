using System.Text.Json;
using System.Text.Json.Serialization;
using WasmMesh.Kubernetes;

namespace WasmMesh.Operator.Outputs;

/// <summary>An Istio resource as the API server stores it (EnvoyFilter, WasmPlugin or TrafficExtension); the spec kept as JSON.</summary>
public sealed record IstioObjectResource : KubernetesObject
{
    /// <summary>The spec.</summary>
    [JsonPropertyName("spec")]
    public JsonElement? Spec { get; init; }
}
