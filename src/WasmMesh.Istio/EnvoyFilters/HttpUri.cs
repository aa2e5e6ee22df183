using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>An Envoy <c>HttpUri</c>.</summary>
public sealed record HttpUri
{
    /// <summary>The URI; its host:port becomes the Host header and the rest the path.</summary>
    [JsonPropertyName("uri")]
    public required string Uri { get; init; }

    /// <summary>The Envoy cluster used for the request, which must exist in the proxy.</summary>
    [JsonPropertyName("cluster")]
    public required string Cluster { get; init; }

    /// <summary>The timeout per attempt, as a duration string like <c>600s</c>.</summary>
    [JsonPropertyName("timeout")]
    public required string Timeout { get; init; }
}
