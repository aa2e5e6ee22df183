using System.Text.Json.Serialization;

namespace WasmMesh.Operator.Resources;

/// <summary>Source-generated System.Text.Json metadata for the resources the operator reads and writes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AutoWasmResource))]
[JsonSerializable(typeof(EnvoyFilterResource))]
[JsonSerializable(typeof(WasmMesh.Model.OwnerReference), TypeInfoPropertyName = "ModelOwnerReference")]
[JsonSerializable(typeof(WasmMesh.Model.StatusCondition))]
[JsonSerializable(typeof(WasmMesh.Model.PublicKeyReference))]
[JsonSerializable(typeof(WasmMesh.Istio.EnvoyFilters.EnvoyConfigObjectPatch))]
[JsonSerializable(typeof(int))]
public sealed partial class OperatorJsonContext : JsonSerializerContext
{
}
