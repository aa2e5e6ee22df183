using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>A module stored as an image or artifact in an OCI registry.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegistrySourceSpec
{
    /// <summary>The image reference, e.g. <c>registry.example.com/team/filter:v1</c>.</summary>
    [JsonPropertyName("image")]
    public required string Image { get; init; }
}
