using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>The Envoy <c>envoy.extensions.filters.http.wasm.v3.Wasm</c> message.</summary>
public sealed record WasmFilterConfig
{
    /// <summary>The plugin configuration.</summary>
    [JsonPropertyName("config")]
    public required PluginConfig Config { get; init; }
}
