namespace WasmMesh.Oci;

/// <summary>A freshly generated key pair, as PEM text.</summary>
/// <param name="PrivateKeyPem">The PKCS#8 private key (encrypted when a password was given). Keep it secret.</param>
/// <param name="PublicKeyPem">The PKIX public key (<c>-----BEGIN PUBLIC KEY-----</c>), as cosign writes <c>cosign.pub</c>.</param>
/// <param name="KeyId">The key id (<see cref="SigningKeys.KeyIdOf"/>).</param>
public sealed record SigningKeyPair(string PrivateKeyPem, string PublicKeyPem, string KeyId)
{
    /// <summary>Hides the private key from logs.</summary>
    /// <returns>The key id.</returns>
    public override string ToString() => $"SigningKeyPair {{ KeyId = {KeyId} }}";
}
