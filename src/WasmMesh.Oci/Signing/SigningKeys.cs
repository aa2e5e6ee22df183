using System.Security.Cryptography;

namespace WasmMesh.Oci;

/// <summary>Creates and reads PEM key pairs for module signatures (ECDSA P-256 as cosign makes them; RSA read too).</summary>
public static class SigningKeys
{
    /// <summary>The PBKDF2 iteration count used to encrypt private keys.</summary>
    public const int EncryptionIterations = 600_000;

    /// <summary>Generates an ECDSA P-256 key pair.</summary>
    /// <param name="password">Encrypts the private key (PKCS#8, AES-256-CBC, PBKDF2-SHA256) when not empty.</param>
    /// <returns>The private key PEM, the PKIX public key PEM and the key id.</returns>
    public static SigningKeyPair Generate(string? password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var privatePem = string.IsNullOrEmpty(password)
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, EncryptionIterations));
        return new SigningKeyPair(privatePem + "\n", key.ExportSubjectPublicKeyInfoPem() + "\n", KeyIdOf(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Reads a private key PEM (<c>PRIVATE KEY</c>, <c>ENCRYPTED PRIVATE KEY</c>, <c>EC PRIVATE KEY</c> or <c>RSA PRIVATE KEY</c>).</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="password">The password of an encrypted key.</param>
    /// <param name="source">Where the key came from, for messages.</param>
    /// <returns>The key; dispose it.</returns>
    /// <exception cref="SigningKeyException">The key cannot be read.</exception>
    public static SigningKey LoadPrivateKey(string pem, string? password, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        ArgumentNullException.ThrowIfNull(source);
        var (label, der) = ReadPem(pem, source);
        AsymmetricAlgorithm algorithm;
        try
        {
            algorithm = label switch
            {
                "PRIVATE KEY" => ImportPkcs8(der, null),
                "ENCRYPTED PRIVATE KEY" => ImportPkcs8(der, string.IsNullOrEmpty(password)
                    ? throw new SigningKeyException(source, "the private key is encrypted; give its password (COSIGN_PASSWORD)")
                    : password),
                "EC PRIVATE KEY" => ImportEc(der),
                "RSA PRIVATE KEY" => ImportRsa(der),
                "ENCRYPTED SIGSTORE PRIVATE KEY" or "ENCRYPTED COSIGN PRIVATE KEY" => throw new SigningKeyException(source,
                    "cosign's own encrypted key format (scrypt + secretbox) is not supported; create a key with 'wasmc generate-key' or 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256'"),
                _ => throw new SigningKeyException(source, $"a '{label}' PEM block is not a private key; expected PRIVATE KEY, ENCRYPTED PRIVATE KEY or EC PRIVATE KEY"),
            };
        }
        catch (CryptographicException e)
        {
            throw new SigningKeyException(source, label == "ENCRYPTED PRIVATE KEY"
                ? "the password is wrong or the encrypted private key is damaged"
                : $"the {label} is not a valid key ({e.Message.TrimEnd('.')})", e);
        }

        return new SigningKey(algorithm, Check(algorithm, source));
    }

    /// <summary>Reads a PKIX public key PEM (<c>PUBLIC KEY</c>), as cosign writes <c>cosign.pub</c>.</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="source">Where the key came from, for messages.</param>
    /// <returns>The key; dispose it.</returns>
    /// <exception cref="SigningKeyException">The key cannot be read.</exception>
    public static VerificationKey LoadPublicKey(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        ArgumentNullException.ThrowIfNull(source);
        var (label, der) = ReadPem(pem, source);
        if (label != "PUBLIC KEY")
        {
            throw new SigningKeyException(source, label.Contains("PRIVATE", StringComparison.Ordinal)
                ? "this is a private key; verification needs the public key (e.g. cosign.pub)"
                : $"a '{label}' PEM block is not a PKIX public key; expected -----BEGIN PUBLIC KEY-----");
        }

        AsymmetricAlgorithm algorithm;
        try
        {
            algorithm = PublicKeyAlgorithm(der) switch
            {
                "1.2.840.10045.2.1" => ImportPublic(ECDsa.Create(), der),
                "1.2.840.113549.1.1.1" => ImportPublic(RSA.Create(), der),
                var oid => throw new SigningKeyException(source, $"the key algorithm {oid} is not supported; use an ECDSA (P-256) or RSA key"),
            };
        }
        catch (CryptographicException e)
        {
            throw new SigningKeyException(source, $"not a valid public key ({e.Message.TrimEnd('.')})", e);
        }

        return new VerificationKey(algorithm, Check(algorithm, source), source);
    }

    /// <summary>The key id: <c>sha256:</c> and the hex SHA-256 of the DER SubjectPublicKeyInfo.</summary>
    /// <param name="subjectPublicKeyInfo">The DER public key.</param>
    /// <returns>The id.</returns>
    public static string KeyIdOf(ReadOnlySpan<byte> subjectPublicKeyInfo)
        => Digest.ComputeSha256(subjectPublicKeyInfo).ToString();

    private static string Check(AsymmetricAlgorithm algorithm, string source)
    {
        if (algorithm is RSA { KeySize: < 2048 })
        {
            algorithm.Dispose();
            throw new SigningKeyException(source, "RSA keys shorter than 2048 bits are refused");
        }

        return KeyIdOf(algorithm switch
        {
            ECDsa ec => ec.ExportSubjectPublicKeyInfo(),
            RSA rsa => rsa.ExportSubjectPublicKeyInfo(),
            _ => throw new SigningKeyException(source, "only ECDSA and RSA keys are supported"),
        });
    }

    private static (string Label, byte[] Der) ReadPem(string pem, string source)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new SigningKeyException(source, "no PEM block found; expected a file that starts with -----BEGIN ... KEY-----");
        }

        var label = pem[fields.Label].ToString();
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out _))
        {
            throw new SigningKeyException(source, "the PEM block's base64 is damaged");
        }

        return (label, der);
    }

    private static AsymmetricAlgorithm ImportPkcs8(byte[] der, string? password)
    {
        // Try ECDSA first (the usual case), then RSA; the PKCS#8 algorithm id decides which one accepts it.
        var ec = ECDsa.Create();
        try
        {
            if (password is null)
            {
                ec.ImportPkcs8PrivateKey(der, out _);
            }
            else
            {
                ec.ImportEncryptedPkcs8PrivateKey(password, der, out _);
            }

            return ec;
        }
        catch (CryptographicException)
        {
            ec.Dispose();
        }

        var rsa = RSA.Create();
        try
        {
            if (password is null)
            {
                rsa.ImportPkcs8PrivateKey(der, out _);
            }
            else
            {
                rsa.ImportEncryptedPkcs8PrivateKey(password, der, out _);
            }

            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static ECDsa ImportEc(byte[] der)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportECPrivateKey(der, out _);
            return ec;
        }
        catch
        {
            ec.Dispose();
            throw;
        }
    }

    private static RSA ImportRsa(byte[] der)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPrivateKey(der, out _);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static T ImportPublic<T>(T algorithm, byte[] der)
        where T : AsymmetricAlgorithm
    {
        try
        {
            algorithm.ImportSubjectPublicKeyInfo(der, out _);
            return algorithm;
        }
        catch
        {
            algorithm.Dispose();
            throw;
        }
    }

    private static string PublicKeyAlgorithm(byte[] der)
    {
        // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier (SEQUENCE { OID, params }), subjectPublicKey BIT STRING }
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER);
        var spki = reader.ReadSequence();
        var algorithm = spki.ReadSequence();
        return algorithm.ReadObjectIdentifier();
    }
}
