using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>
/// Source-generated System.Text.Json metadata for the built-in Kubernetes types, e.g.
/// <c>KubernetesJsonContext.Default.Secret</c> for <see cref="IKubernetesClient.Resource{T}"/>.
/// </summary>
/// <remarks>
/// Packages defining their own resource types declare their own <see cref="JsonSerializerContext"/> and pass its
/// <see cref="System.Text.Json.Serialization.Metadata.JsonTypeInfo{T}"/>; use
/// <c>DefaultIgnoreCondition = WhenWritingNull</c> there too so unset fields are not sent as <c>null</c>.
/// </remarks>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubernetesStatus))]
[JsonSerializable(typeof(ObjectMeta))]
[JsonSerializable(typeof(ListMeta))]
[JsonSerializable(typeof(GenericKubernetesObject))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class KubernetesJsonContext : JsonSerializerContext
{
}
