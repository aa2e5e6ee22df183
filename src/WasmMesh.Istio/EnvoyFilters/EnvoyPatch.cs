using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>The patch operation and the value inserted.</summary>
public sealed record EnvoyPatch
{
    /// <summary>The operation, e.g. <c>INSERT_BEFORE</c>.</summary>
    [JsonPropertyName("operation")]
    public required string Operation { get; init; }

    /// <summary>The HTTP filter inserted.</summary>
    [JsonPropertyName("value")]
    public required HttpFilterValue Value { get; init; }
}
