using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>The traffic a filter applies to; maps to the EnvoyFilter match context.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrafficContext>))]
public enum TrafficContext
{
    /// <summary>Requests arriving at a sidecar (the default); ports are container ports.</summary>
    [JsonStringEnumMemberName("SIDECAR_INBOUND")]
    SidecarInbound,

    /// <summary>Requests leaving through a sidecar; ports are service ports.</summary>
    [JsonStringEnumMemberName("SIDECAR_OUTBOUND")]
    SidecarOutbound,

    /// <summary>Requests through a gateway; ports are gateway listener (target) ports, e.g. 8080 rather than 80.</summary>
    [JsonStringEnumMemberName("GATEWAY")]
    Gateway,
}
