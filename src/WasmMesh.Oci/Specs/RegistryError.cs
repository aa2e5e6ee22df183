using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>One entry of a registry's <c>errors[]</c> response body.</summary>
public sealed record RegistryError
{
    /// <summary>The error code, e.g. <c>MANIFEST_UNKNOWN</c>, <c>UNAUTHORIZED</c>, <c>DIGEST_INVALID</c>.</summary>
    [JsonPropertyName("code")]
    public string? Code { get; init; }

    /// <summary>The registry's message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>Unstructured detail, as the registry sent it.</summary>
    [JsonPropertyName("detail")]
    public JsonElement? Detail { get; init; }
}
