using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>A core <c>v1</c> Namespace.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Kubernetes kind name.")]
public sealed record Namespace : KubernetesObject
{
    /// <summary>Creates a Namespace with <c>apiVersion: v1</c> and <c>kind: Namespace</c>.</summary>
    public Namespace()
    {
        ApiVersion = "v1";
        Kind = "Namespace";
    }

    /// <summary>The status; <c>phase</c> is <c>Active</c> or <c>Terminating</c>.</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NamespaceStatus? Status { get; init; }
}
