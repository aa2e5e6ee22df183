using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>
/// A public key kept in a Secret of the AutoWasm's own namespace, as <c>cosign generate-key-pair k8s://NS/NAME</c>
/// stores it (the PEM under <c>cosign.pub</c>).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PublicKeyReference
{
    /// <summary>The data key that holds the PEM under <c>cosign.pub</c> unless <see cref="Key"/> names another.</summary>
    public const string DefaultKey = "cosign.pub";

    /// <summary>The Secret's name (in the AutoWasm's namespace).</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The data key holding the PKIX <c>PUBLIC KEY</c> PEM; default <c>cosign.pub</c>.</summary>
    [JsonPropertyName("key")]
    public string? Key { get; init; }
}
