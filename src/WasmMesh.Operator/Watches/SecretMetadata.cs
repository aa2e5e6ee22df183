using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace WasmMesh.Operator.Watches;

/// <summary>A Secret as the pull-secret watch keeps it: metadata only; its data is never decoded or kept.</summary>
internal sealed record SecretMetadata : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The API version.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "v1";

    /// <summary>The kind.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Secret";

    /// <summary>The metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}

/// <summary>Source-generated System.Text.Json metadata for the watched Secrets and owned outputs (unknown members such as data are skipped).</summary>
[JsonSerializable(typeof(SecretMetadata))]
[JsonSerializable(typeof(OwnedOutput))]
internal sealed partial class WatchJsonContext : JsonSerializerContext
{
}
