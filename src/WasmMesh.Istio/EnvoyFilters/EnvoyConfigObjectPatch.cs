using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>One patch: what it applies to, where, and the operation.</summary>
public sealed record EnvoyConfigObjectPatch
{
    /// <summary>The kind of Envoy object patched, e.g. <c>HTTP_FILTER</c>.</summary>
    [JsonPropertyName("applyTo")]
    public required string ApplyTo { get; init; }

    /// <summary>Where the patch applies; null for an <c>EXTENSION_CONFIG</c> patch that every proxy gets.</summary>
    [JsonPropertyName("match")]
    public EnvoyConfigObjectMatch? Match { get; init; }

    /// <summary>The operation and value.</summary>
    [JsonPropertyName("patch")]
    public required EnvoyPatch Patch { get; init; }
}
