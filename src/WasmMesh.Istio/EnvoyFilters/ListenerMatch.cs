using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>Matches a listener.</summary>
public sealed record ListenerMatch
{
    /// <summary>The filter chain match.</summary>
    [JsonPropertyName("filterChain")]
    public FilterChainMatch? FilterChain { get; init; }

    /// <summary>The port; omitted to match every port.</summary>
    [JsonPropertyName("portNumber")]
    public int? PortNumber { get; init; }
}
