using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>The Istio resource written for an AutoWasm, as recorded in its status.</summary>
public sealed record OutputReference
{
    /// <summary>The resource's API version, e.g. <c>extensions.istio.io/v1alpha1</c>.</summary>
    [JsonPropertyName("apiVersion")]
    public required string ApiVersion { get; init; }

    /// <summary>The resource's kind: <c>EnvoyFilter</c>, <c>WasmPlugin</c> or <c>TrafficExtension</c>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The resource's name (in the AutoWasm's namespace).</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The output kind chosen (<c>EnvoyFilterECDS</c> is an EnvoyFilter).</summary>
    [JsonPropertyName("output")]
    public IstioOutputKind? Output { get; init; }
}
