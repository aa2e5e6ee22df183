using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>Matches a network filter and optionally one of its HTTP filters.</summary>
public sealed record FilterMatch
{
    /// <summary>The network filter name, e.g. <c>envoy.filters.network.http_connection_manager</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The HTTP filter within it.</summary>
    [JsonPropertyName("subFilter")]
    public SubFilterMatch? SubFilter { get; init; }
}
