using System.Text.Json.Serialization;
using WasmMesh.Kubernetes;
using WasmMesh.Model;

namespace WasmMesh.Operator.Resources;

/// <summary>An AutoWasm as stored in the Kubernetes API: Kubernetes metadata with the model's spec and status.</summary>
public sealed record AutoWasmResource : KubernetesObject
{
    /// <summary>The resource type (<c>autowasms.wasm.tcm.io/v1alpha1</c>).</summary>
    public static KubernetesResourceType ResourceType { get; } = new()
    {
        Group = AutoWasm.Group,
        Version = AutoWasm.Version,
        Plural = AutoWasm.Plural,
        Kind = AutoWasm.KindValue,
    };

    /// <summary>The desired state.</summary>
    [JsonPropertyName("spec")]
    public AutoWasmSpec? Spec { get; init; }

    /// <summary>The observed state.</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AutoWasmStatus? Status { get; init; }
}
