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

    /// <summary>The data key a cosign-style Secret keeps its public key under (<c>cosign generate-key-pair k8s://NS/NAME</c>).</summary>
    public const string CosignPublicKeyField = "cosign.pub";

    /// <summary>
    /// Reads the public key of a Kubernetes Secret's data: the given <paramref name="field"/>, else <c>cosign.pub</c>,
    /// else the only entry that holds a <c>PUBLIC KEY</c> PEM. Never reads private-key entries.
    /// </summary>
    /// <param name="data">The Secret's decoded data.</param>
    /// <param name="secret">The Secret as <c>namespace/name</c>, for messages.</param>
    /// <param name="field">The data key to read, or <see langword="null"/> for the default.</param>
    /// <returns>The key; dispose it.</returns>
    /// <exception cref="SigningKeyException">No usable public key is in the Secret.</exception>
    public static VerificationKey LoadPublicKeyFromSecret(IReadOnlyDictionary<string, byte[]> data, string secret, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(secret);
        if (field is not null)
        {
            return data.TryGetValue(field, out var chosen)
                ? LoadPublicKey(System.Text.Encoding.ASCII.GetString(chosen), $"{secret}[{field}]")
                : throw new SigningKeyException(secret, $"the Secret has no '{field}' key; it has {string.Join(", ", data.Keys.Order(StringComparer.Ordinal))}");
        }

        if (data.TryGetValue(CosignPublicKeyField, out var cosign))
        {
            return LoadPublicKey(System.Text.Encoding.ASCII.GetString(cosign), $"{secret}[{CosignPublicKeyField}]");
        }

        var candidates = data.Where(p => System.Text.Encoding.ASCII.GetString(p.Value).Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal)).ToList();
        return candidates.Count == 1
            ? LoadPublicKey(System.Text.Encoding.ASCII.GetString(candidates[0].Value), $"{secret}[{candidates[0].Key}]")
            : throw new SigningKeyException(secret, candidates.Count == 0
                ? $"the Secret holds no public key; put the PEM under '{CosignPublicKeyField}' (as cosign generate-key-pair k8s://… does)"
                : $"the Secret holds {candidates.Count} public keys ({string.Join(", ", candidates.Select(c => c.Key).Order(StringComparer.Ordinal))}); name one");
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
