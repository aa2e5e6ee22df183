using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>Where a module comes from: exactly one of <see cref="Registry"/> and <see cref="Object"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WasmSourceSpec
{
    /// <summary>An image in an OCI registry.</summary>
    [JsonPropertyName("registry")]
    public RegistrySourceSpec? Registry { get; init; }

    /// <summary>A module at a public object-storage (http/https) URL.</summary>
    [JsonPropertyName("object")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Mirrors the spec field source.object.")]
    public ObjectSourceSpec? Object { get; init; }
}
