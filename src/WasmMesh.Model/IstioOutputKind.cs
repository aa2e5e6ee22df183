using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>The kind of Istio resource written for an AutoWasm (<c>spec.output</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IstioOutputKind>))]
public enum IstioOutputKind
{
    /// <summary>
    /// An EnvoyFilter with an inline Wasm <c>HTTP_FILTER</c> whose module Envoy fetches remotely (the default; every Istio
    /// since 1.10).
    /// </summary>
    [JsonStringEnumMemberName("EnvoyFilter")]
    EnvoyFilter,

    /// <summary>
    /// An EnvoyFilter with an <c>EXTENSION_CONFIG</c> patch and an <c>HTTP_FILTER</c> that loads it through ECDS: the
    /// istio-agent downloads the module and a changed module does not drain listeners (Istio 1.9+).
    /// </summary>
    [JsonStringEnumMemberName("EnvoyFilterECDS")]
    EnvoyFilterEcds,

    /// <summary>An Istio WasmPlugin (<c>extensions.istio.io/v1alpha1</c>, Istio 1.12+), delivered through ECDS.</summary>
    [JsonStringEnumMemberName("WasmPlugin")]
    WasmPlugin,

    /// <summary>An Istio TrafficExtension (<c>extensions.istio.io/v1alpha1</c>, Istio 1.30+, alpha), delivered through ECDS.</summary>
    [JsonStringEnumMemberName("TrafficExtension")]
    TrafficExtension,
}
