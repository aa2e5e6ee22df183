using System.Text.Json.Serialization;

namespace WasmMesh.Operator.Outputs;

/// <summary>Source-generated System.Text.Json metadata for the generated Istio resources as the operator stores them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IstioObjectResource))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class OutputJsonContext : JsonSerializerContext
{
}
