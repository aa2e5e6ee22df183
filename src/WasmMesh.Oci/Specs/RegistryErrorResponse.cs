using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>The body of a registry error response.</summary>
internal sealed record RegistryErrorResponse
{
    [JsonPropertyName("errors")]
    public IReadOnlyList<RegistryError>? Errors { get; init; }
}
