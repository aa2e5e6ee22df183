using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>The <c>oci-layout</c> file of an OCI image layout.</summary>
internal sealed record OciLayoutMarker
{
    [JsonPropertyName("imageLayoutVersion")]
    public string? ImageLayoutVersion { get; init; }
}
