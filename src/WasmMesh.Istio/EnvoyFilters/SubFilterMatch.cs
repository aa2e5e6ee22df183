using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>Matches an HTTP filter within a network filter.</summary>
public sealed record SubFilterMatch
{
    /// <summary>The HTTP filter name, e.g. <c>envoy.filters.http.router</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }
}
