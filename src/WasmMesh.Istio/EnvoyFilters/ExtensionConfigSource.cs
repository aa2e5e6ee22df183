using WasmMesh.Model;
using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>An HTTP filter's configuration discovery (ECDS): the source and the accepted configuration types.</summary>
public sealed record ExtensionConfigSource
{
    /// <summary>The Wasm HTTP filter type URL.</summary>
    public const string WasmTypeUrl = EnvoyFilterBuilder.WasmTypeUrl;

    /// <summary>The RBAC HTTP filter type URL: istio-agent sends an allow-all or deny-all RBAC filter when it cannot fetch the module.</summary>
    public const string RbacTypeUrl = "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC";

    /// <summary>Where the configuration comes from.</summary>
    [JsonPropertyName("configSource")]
    public required ConfigSource ConfigSource { get; init; }

    /// <summary>The configuration types Envoy accepts for the filter.</summary>
    [JsonPropertyName("typeUrls")]
    public required EquatableArray<string> TypeUrls { get; init; }
}

/// <summary>An xDS configuration source: the aggregated stream istiod serves.</summary>
public sealed record ConfigSource
{
    /// <summary>Use the ADS stream (an empty object).</summary>
    [JsonPropertyName("ads")]
    public AggregatedConfigSource Ads { get; init; } = new();

    /// <summary>How long a listener waits for the first configuration; <c>0s</c> waits until it arrives.</summary>
    [JsonPropertyName("initialFetchTimeout")]
    public required string InitialFetchTimeout { get; init; }

    /// <summary>The xDS API version, <c>V3</c> (old proxies default to v2 otherwise).</summary>
    [JsonPropertyName("resourceApiVersion")]
    public required string ResourceApiVersion { get; init; }
}

/// <summary>The (empty) aggregated discovery source.</summary>
public sealed record AggregatedConfigSource;
