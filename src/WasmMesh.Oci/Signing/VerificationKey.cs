using System.Security.Cryptography;

namespace WasmMesh.Oci;

/// <summary>A public key that checks signatures over SHA-256: ECDSA (DER, or IEEE P1363 as some tools write) or RSA PKCS#1 v1.5.</summary>
public sealed class VerificationKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    internal VerificationKey(AsymmetricAlgorithm key, string keyId, string source)
    {
        _key = key;
        KeyId = keyId;
        Source = source;
    }

    /// <summary>The key id (<see cref="SigningKeys.KeyIdOf"/>).</summary>
    public string KeyId { get; }

    /// <summary>Where the key came from (a file, or <c>namespace/secret</c>).</summary>
    public string Source { get; }

    /// <summary>Checks a signature over SHA-256 of <paramref name="payload"/>.</summary>
    /// <param name="payload">The signed bytes.</param>
    /// <param name="signature">The signature.</param>
    /// <returns>Whether it verifies.</returns>
    public bool Verify(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _key switch
            {
                ECDsa ec => ec.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                    || ec.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                RSA rsa => rsa.VerifyData(payload, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{KeyId} ({Source})";

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
