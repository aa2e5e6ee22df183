using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>The root file system section of an image config.</summary>
public sealed record RootFs
{
    /// <summary>Always <c>layers</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "layers";

    /// <summary>The sha256 of each uncompressed layer, base first.</summary>
    [JsonPropertyName("diff_ids")]
    public required IReadOnlyList<Digest> DiffIds { get; init; }
}
