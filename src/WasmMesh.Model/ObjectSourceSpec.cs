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

    /// <summary>
    /// An optional http(s) URL of a <c>cosign sign-blob</c> signature of the module (base64 of a DER signature over the
    /// module bytes, as <c>cosign sign-blob --output-signature</c> writes it); checked against <c>spec.verify.publicKeys</c>.
    /// </summary>
    [JsonPropertyName("signatureUrl")]
    public string? SignatureUrl { get; init; }
}
