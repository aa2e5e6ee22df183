using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>A <c>udpa.type.v1.TypedStruct</c> carrying an Envoy Wasm filter configuration.</summary>
public sealed record WasmTypedStruct
{
    /// <summary>The TypedStruct type URL, <c>type.googleapis.com/udpa.type.v1.TypedStruct</c>.</summary>
    [JsonPropertyName("@type")]
    public required string Type { get; init; }

    /// <summary>The wrapped message type, <c>type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm</c>.</summary>
    [JsonPropertyName("typeUrl")]
    public required string TypeUrl { get; init; }

    /// <summary>The Wasm filter configuration.</summary>
    [JsonPropertyName("value")]
    public required WasmFilterConfig Value { get; init; }
}
