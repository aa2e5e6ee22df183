using System.Text.Json.Serialization;
using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>Source-generated metadata for the envelope types the resource client reads itself.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(V1ObjectMeta))]
[JsonSerializable(typeof(V1ListMeta))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext
{
}
