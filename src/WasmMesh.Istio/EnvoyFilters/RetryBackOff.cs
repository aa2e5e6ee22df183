using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>Exponential back-off between retries.</summary>
public sealed record RetryBackOff
{
    /// <summary>The first interval (at least 1ms), as a duration string.</summary>
    [JsonPropertyName("baseInterval")]
    public required string BaseInterval { get; init; }

    /// <summary>The largest interval (at least the base), as a duration string.</summary>
    [JsonPropertyName("maxInterval")]
    public string? MaxInterval { get; init; }
}
