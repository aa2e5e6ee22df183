using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>Source-generated System.Text.Json metadata for the model types.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(AutoWasm))]
[JsonSerializable(typeof(AutoWasmSpec))]
[JsonSerializable(typeof(AutoWasmStatus))]
[JsonSerializable(typeof(k8s.Models.V1ObjectMeta))]
[JsonSerializable(typeof(LabelMap))]
[JsonSerializable(typeof(PublicKeyReference))]
[JsonSerializable(typeof(StatusCondition))]
[JsonSerializable(typeof(k8s.Models.V1OwnerReference))]
[JsonSerializable(typeof(OutputReference))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
public sealed partial class ModelJsonContext : JsonSerializerContext
{
}
