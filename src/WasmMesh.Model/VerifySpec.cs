using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>
/// Signature verification for an AutoWasm's module (<c>spec.verify</c>): a registry module needs a cosign signature
/// (simple signing or a sigstore bundle) of its manifest digest, an object module a <c>cosign sign-blob</c> signature at
/// <see cref="ObjectSourceSpec.SignatureUrl"/>; either must verify with one of <see cref="PublicKeys"/>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record VerifySpec
{
    /// <summary>The trusted public keys; a signature made by any one of them is accepted. At least one.</summary>
    [JsonPropertyName("publicKeys")]
    public EquatableArray<PublicKeyReference> PublicKeys { get; init; }

    /// <summary><see cref="VerificationMode.Enforce"/> (the default) or <see cref="VerificationMode.Audit"/>.</summary>
    [JsonPropertyName("mode")]
    public VerificationMode? Mode { get; init; }

    /// <summary>The mode in effect: <see cref="Mode"/>, or <see cref="VerificationMode.Enforce"/> when unset.</summary>
    [JsonIgnore]
    public VerificationMode EffectiveMode => Mode ?? VerificationMode.Enforce;
}
