using System.Text.Json.Serialization;
using WasmMesh.Istio.EnvoyFilters;

namespace WasmMesh.Istio;

/// <summary>Source-generated System.Text.Json metadata for the Istio types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnvoyFilter))]
[JsonSerializable(typeof(EnvoyConfigObjectPatch))]
[JsonSerializable(typeof(k8s.Models.V1OwnerReference))]
[JsonSerializable(typeof(k8s.Models.V1ObjectMeta))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
public sealed partial class IstioJsonContext : JsonSerializerContext
{
}
