using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>
/// The exact source that produced the module an AutoWasm's status names, recorded so that any replica can fetch those
/// bytes again whatever the spec says now: an image by digest, or an object URL (the bytes are pinned by
/// <see cref="AutoWasmStatus.Sha256"/>). Exactly one of <see cref="Image"/> and <see cref="Url"/> is set.
/// </summary>
public sealed record ModuleSource
{
    /// <summary>The image by manifest digest, e.g. <c>registry.example.com/filters/auth@sha256:…</c> (registry sources).</summary>
    [JsonPropertyName("image")]
    public string? Image { get; init; }

    /// <summary>The URL the module was downloaded from (object sources).</summary>
    [JsonPropertyName("url")]
    public string? Url { get; init; }
}
