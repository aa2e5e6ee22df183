using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>What happens to requests when the module fails to load or crashes (<c>spec.filter.failurePolicy</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FailurePolicy>))]
public enum FailurePolicy
{
    /// <summary>Requests get 503 while the filter is broken (the default).</summary>
    [JsonStringEnumMemberName("FailClosed")]
    FailClosed,

    /// <summary>Requests pass through without the filter while it is broken (<c>failOpen: true</c> is a synonym).</summary>
    [JsonStringEnumMemberName("FailOpen")]
    FailOpen,

    /// <summary>
    /// After a crash the VM is reloaded (Envoy 1.33+ / Istio 1.25+ proxies; older proxies fail closed). Runtime errors
    /// only: a module that does not load still fails closed.
    /// </summary>
    [JsonStringEnumMemberName("FailReload")]
    FailReload,
}
