using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>A module at a public http(s) URL.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ObjectSourceSpec
{
    /// <summary>The absolute http or https URL.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; init; }

    /// <summary>An optional pin: the module is refused unless its sha256 (lowercase hex) matches.</summary>
    [JsonPropertyName("sha256")]
    public string? Sha256 { get; init; }
}
