using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>Where a patch applies.</summary>
public sealed record EnvoyConfigObjectMatch
{
    /// <summary><c>SIDECAR_INBOUND</c>, <c>SIDECAR_OUTBOUND</c> or <c>GATEWAY</c>.</summary>
    [JsonPropertyName("context")]
    public required string Context { get; init; }

    /// <summary>The listener match.</summary>
    [JsonPropertyName("listener")]
    public ListenerMatch? Listener { get; init; }
}
