using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>The Envoy Wasm <c>PluginConfig</c> (JSON field names).</summary>
public sealed record PluginConfig
{
    /// <summary>The plugin name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The root ID; omitted when empty.</summary>
    [JsonPropertyName("rootId")]
    public string? RootId { get; init; }

    /// <summary>The VM configuration.</summary>
    [JsonPropertyName("vmConfig")]
    public required VmConfig VmConfig { get; init; }

    /// <summary>The plugin configuration, as a <c>google.protobuf.StringValue</c> so the module receives raw text.</summary>
    [JsonPropertyName("configuration")]
    public StringValue? Configuration { get; init; }

    /// <summary>Fail open (deprecated from Envoy 1.33 but accepted by every Istio release); never set together with <see cref="FailurePolicy"/>.</summary>
    [JsonPropertyName("failOpen")]
    public bool? FailOpen { get; init; }

    /// <summary><c>FAIL_CLOSED</c>, <c>FAIL_OPEN</c> or <c>FAIL_RELOAD</c> (Istio 1.25+ proxies only).</summary>
    [JsonPropertyName("failurePolicy")]
    public string? FailurePolicy { get; init; }
}
