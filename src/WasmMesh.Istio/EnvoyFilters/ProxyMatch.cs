using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>Selects proxies by their Istio version.</summary>
public sealed record ProxyMatch
{
    /// <summary>A regular expression (RE2) on the proxy's Istio version, e.g. <c>^1\.2[5-9].*</c>.</summary>
    [JsonPropertyName("proxyVersion")]
    public required string ProxyVersion { get; init; }
}
