using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>The Envoy Wasm <c>VmConfig</c>.</summary>
public sealed record VmConfig
{
    /// <summary>The VM ID.</summary>
    [JsonPropertyName("vmId")]
    public required string VmId { get; init; }

    /// <summary>The runtime, <c>envoy.wasm.runtime.v8</c>.</summary>
    [JsonPropertyName("runtime")]
    public required string Runtime { get; init; }

    /// <summary>Where the module code comes from.</summary>
    [JsonPropertyName("code")]
    public required AsyncDataSource Code { get; init; }
}
