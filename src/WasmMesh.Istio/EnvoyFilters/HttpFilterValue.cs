using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>An HTTP filter entry: its name and typed configuration.</summary>
public sealed record HttpFilterValue
{
    /// <summary>The filter name, <c>envoy.filters.http.wasm</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The configuration wrapped in a TypedStruct.</summary>
    [JsonPropertyName("typedConfig")]
    public required WasmTypedStruct TypedConfig { get; init; }
}
