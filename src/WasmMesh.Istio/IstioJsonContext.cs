using System.Text.Json.Serialization;
using WasmMesh.Istio.EnvoyFilters;

namespace WasmMesh.Istio;

/// <summary>Source-generated System.Text.Json metadata for the Istio types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnvoyFilter))]
[JsonSerializable(typeof(WasmMesh.Istio.Extensions.WasmPlugin))]
[JsonSerializable(typeof(WasmMesh.Istio.Extensions.TrafficExtension))]
[JsonSerializable(typeof(WasmMesh.Istio.Extensions.TrafficSelector))]
[JsonSerializable(typeof(WasmMesh.Istio.Extensions.PortSelector))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(EnvoyConfigObjectPatch))]
[JsonSerializable(typeof(k8s.Models.V1OwnerReference))]
[JsonSerializable(typeof(k8s.Models.V1ObjectMeta))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
public sealed partial class IstioJsonContext : JsonSerializerContext
{
}
