using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>Where in Istio's HTTP filter chain the filter runs (<c>spec.filter.phase</c>); unset keeps it just before the router.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FilterPhase>))]
public enum FilterPhase
{
    /// <summary>Before Istio's JWT authentication filter (after CUSTOM authorization).</summary>
    [JsonStringEnumMemberName("AUTHN")]
    Authn,

    /// <summary>After Istio's authentication, before its RBAC authorization filter.</summary>
    [JsonStringEnumMemberName("AUTHZ")]
    Authz,

    /// <summary>After authorization, before Istio's stats and the other always-present filters.</summary>
    [JsonStringEnumMemberName("STATS")]
    Stats,
}
