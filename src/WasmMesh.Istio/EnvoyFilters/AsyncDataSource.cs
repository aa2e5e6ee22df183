using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>An Envoy <c>AsyncDataSource</c>; WasmMesh always uses the remote form.</summary>
public sealed record AsyncDataSource
{
    /// <summary>The remote source.</summary>
    [JsonPropertyName("remote")]
    public required RemoteDataSource Remote { get; init; }
}
