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

    /// <summary>
    /// Checks a signature over a SHA-256 digest that was computed elsewhere (e.g. while the signed bytes were streamed),
    /// as <c>cosign sign-blob</c> signatures are verified without holding the blob.
    /// </summary>
    /// <param name="sha256">The 32-byte SHA-256 of the signed bytes.</param>
    /// <param name="signature">The signature.</param>
    /// <returns>Whether it verifies.</returns>
    public bool VerifySha256(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature)
    {
        if (sha256.Length != 32)
        {
            return false;
        }

        try
        {
            return _key switch
            {
                ECDsa ec => ec.VerifyHash(sha256, signature, DSASignatureFormat.Rfc3279DerSequence)
                    || ec.VerifyHash(sha256, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                RSA rsa => rsa.VerifyHash(sha256, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
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
