using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>The runtime config blob of the wasme artifact layout.</summary>
internal sealed record WasmeRuntimeConfig
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "envoy_proxy";

    [JsonPropertyName("abiVersions")]
    public IReadOnlyList<string> AbiVersions { get; init; } = [];
}
