using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>Matches a filter chain.</summary>
public sealed record FilterChainMatch
{
    /// <summary>The network filter match.</summary>
    [JsonPropertyName("filter")]
    public FilterMatch? Filter { get; init; }
}
