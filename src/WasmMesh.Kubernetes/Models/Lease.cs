using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>A <c>coordination.k8s.io/v1</c> Lease, the lock object of leader election.</summary>
public sealed record Lease : KubernetesObject
{
    /// <summary>Creates a Lease with <c>apiVersion: coordination.k8s.io/v1</c> and <c>kind: Lease</c>.</summary>
    public Lease()
    {
        ApiVersion = "coordination.k8s.io/v1";
        Kind = "Lease";
    }

    /// <summary>The lease specification.</summary>
    [JsonPropertyName("spec")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LeaseSpec? Spec { get; init; }
}
