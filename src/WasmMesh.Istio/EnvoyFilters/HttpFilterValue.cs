using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>
/// An HTTP filter entry or an extension configuration: its name and either a typed configuration or, for a filter
/// loaded through ECDS, a config discovery source.
/// </summary>
public sealed record HttpFilterValue
{
    /// <summary>The filter name, <c>envoy.filters.http.wasm</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The configuration wrapped in a TypedStruct; null for a filter loaded through ECDS.</summary>
    [JsonPropertyName("typedConfig")]
    public WasmTypedStruct? TypedConfig { get; init; }

    /// <summary>Where Envoy gets the filter's configuration from (ECDS); null for an inline filter.</summary>
    [JsonPropertyName("configDiscovery")]
    public ExtensionConfigSource? ConfigDiscovery { get; init; }
}
