using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>The retry policy of a remote data source (only these fields are honoured by Envoy).</summary>
public sealed record RemoteRetryPolicy
{
    /// <summary>How many retries after the first attempt.</summary>
    [JsonPropertyName("numRetries")]
    public required int NumRetries { get; init; }

    /// <summary>The back-off between attempts.</summary>
    [JsonPropertyName("retryBackOff")]
    public RetryBackOff? RetryBackOff { get; init; }
}
