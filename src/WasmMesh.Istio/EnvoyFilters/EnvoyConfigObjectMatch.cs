using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>Where a patch applies.</summary>
public sealed record EnvoyConfigObjectMatch
{
    /// <summary><c>SIDECAR_INBOUND</c>, <c>SIDECAR_OUTBOUND</c> or <c>GATEWAY</c>; null matches any.</summary>
    [JsonPropertyName("context")]
    public string? Context { get; init; }

    /// <summary>The proxies the patch applies to (by Istio version); null matches every proxy.</summary>
    [JsonPropertyName("proxy")]
    public ProxyMatch? Proxy { get; init; }

    /// <summary>The listener match.</summary>
    [JsonPropertyName("listener")]
    public ListenerMatch? Listener { get; init; }
}
