using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>An Envoy <c>RemoteDataSource</c>: an HTTP URI and the sha256 Envoy verifies.</summary>
public sealed record RemoteDataSource
{
    /// <summary>Where Envoy fetches the module.</summary>
    [JsonPropertyName("httpUri")]
    public required HttpUri HttpUri { get; init; }

    /// <summary>The lowercase hex sha256 of the module bytes.</summary>
    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }

    /// <summary>The retry policy; Envoy retries once when omitted.</summary>
    [JsonPropertyName("retryPolicy")]
    public RemoteRetryPolicy? RetryPolicy { get; init; }
}
