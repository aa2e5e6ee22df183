using System.Security.Cryptography;

namespace WasmMesh.Oci;

/// <summary>A private key that signs payloads: ECDSA (ASN.1 DER signature) or RSA (PKCS#1 v1.5), both over SHA-256.</summary>
public sealed class SigningKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    internal SigningKey(AsymmetricAlgorithm key, string keyId)
    {
        _key = key;
        KeyId = keyId;
    }

    /// <summary>The id of the matching public key.</summary>
    public string KeyId { get; }

    /// <summary>Signs SHA-256 of <paramref name="payload"/>.</summary>
    /// <param name="payload">The bytes to sign.</param>
    /// <returns>The signature: ASN.1 DER for ECDSA, as cosign and openssl write it.</returns>
    public byte[] Sign(ReadOnlySpan<byte> payload) => _key switch
    {
        ECDsa ec => ec.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
        RSA rsa => rsa.SignData(payload.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new InvalidOperationException("unsupported key"),
    };

    /// <summary>The PKIX public key PEM of this key.</summary>
    /// <returns>The PEM text.</returns>
    public string ExportPublicKeyPem() => _key switch
    {
        ECDsa ec => ec.ExportSubjectPublicKeyInfoPem(),
        RSA rsa => rsa.ExportSubjectPublicKeyInfoPem(),
        _ => throw new InvalidOperationException("unsupported key"),
    } + "\n";

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
