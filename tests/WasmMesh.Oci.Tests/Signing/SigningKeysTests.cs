using System.Text;

namespace WasmMesh.Oci.Tests.Signing;

public sealed class SigningKeysTests
{
    [Fact]
    public void Generate_WithPassword_WritesEncryptedPkcs8ThatSignsForThePublicKey()
    {
        var pair = SigningKeys.Generate("s3cret");

        using var key = SigningKeys.LoadPrivateKey(pair.PrivateKeyPem, "s3cret", "cosign.key");
        using var verifier = SigningKeys.LoadPublicKey(pair.PublicKeyPem, "cosign.pub");
        var payload = "payload"u8.ToArray();
        var signature = key.Sign(payload);

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", pair.PrivateKeyPem, StringComparison.Ordinal);
        Assert.Equal(pair.KeyId, key.KeyId);
        Assert.Equal(pair.KeyId, verifier.KeyId);
        Assert.Matches("^sha256:[0-9a-f]{64}$", pair.KeyId);
        Assert.True(verifier.Verify(payload, signature));
        Assert.False(verifier.Verify("other"u8, signature));
        Assert.DoesNotContain("PRIVATE", pair.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "the private key is encrypted; give its password (COSIGN_PASSWORD)")]
    [InlineData("wrong", "the password is wrong or the encrypted private key is damaged")]
    public void LoadPrivateKey_EncryptedWithoutTheRightPassword_SaysWhatToDo(string? password, string expected)
    {
        var pair = SigningKeys.Generate("right");

        var error = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPrivateKey(pair.PrivateKeyPem, password, "ci.key"));

        Assert.Equal($"ci.key: {expected}", error.Message);
    }

    [Fact]
    public void LoadKeys_CosignEncryptedFormatAndWrongBlocks_AreRefusedWithTheReason()
    {
        var cosign = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
        var certificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

        var sigstore = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPrivateKey(cosign, "x", "cosign.key"));
        var cert = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPublicKey(certificate, "cert.pem"));
        var empty = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPublicKey("", "empty.pub"));

        Assert.Contains("cosign's own encrypted key format", sigstore.Message, StringComparison.Ordinal);
        Assert.Contains("is not a PKIX public key", cert.Message, StringComparison.Ordinal);
        Assert.Contains("no PEM block found", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PreAuthenticationEncoding_MatchesTheDsseSpecificationExample()
    {
        var pae = SimpleSigningPayload.PreAuthenticationEncoding("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void SimplePayload_CreateThenParse_NamesTheDigestAndReferenceInCosignOrder()
    {
        var digest = Digest.ComputeSha256("m"u8);

        var payload = SimpleSigningPayload.Create("registry.example.com/team/filter", digest);
        var parsed = SimpleSigningPayload.TryParse(payload, out var claimed, out var identity, out var error);

        Assert.Equal($"{{\"critical\":{{\"identity\":{{\"docker-reference\":\"registry.example.com/team/filter\"}},\"image\":{{\"docker-manifest-digest\":\"{digest}\"}},\"type\":\"cosign container image signature\"}},\"optional\":null}}", Encoding.UTF8.GetString(payload));
        Assert.True(parsed, error);
        Assert.Equal(digest, claimed);
        Assert.Equal("registry.example.com/team/filter", identity);
    }

    [Theory]
    [InlineData("{}", "the payload has no 'critical' object")]
    [InlineData("{\"critical\":{\"type\":\"other\"}}", "the payload type is 'other', not 'cosign container image signature'")]
    [InlineData("{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{}}}", "the payload has no valid critical.image.docker-manifest-digest")]
    public void SimplePayload_Malformed_GivesTheReason(string json, string expected)
    {
        Assert.False(SimpleSigningPayload.TryParse(Encoding.UTF8.GetBytes(json), out _, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void LoadPublicKeyFromSecret_CosignStyleSecret_ReadsCosignPubAndNeverThePrivateKey()
    {
        var pair = SigningKeys.Generate("pw");
        var cosignSecret = new Dictionary<string, byte[]>
        {
            ["cosign.key"] = Encoding.ASCII.GetBytes(pair.PrivateKeyPem),
            ["cosign.password"] = "pw"u8.ToArray(),
            ["cosign.pub"] = Encoding.ASCII.GetBytes(pair.PublicKeyPem),
        };
        var plain = new Dictionary<string, byte[]> { ["signer.pem"] = Encoding.ASCII.GetBytes(pair.PublicKeyPem), ["note"] = "x"u8.ToArray() };

        using var fromCosign = SigningKeys.LoadPublicKeyFromSecret(cosignSecret, "team/signing");
        using var fromOnlyPem = SigningKeys.LoadPublicKeyFromSecret(plain, "team/keys");
        var missing = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPublicKeyFromSecret(new Dictionary<string, byte[]> { ["cosign.key"] = Encoding.ASCII.GetBytes(pair.PrivateKeyPem) }, "team/private-only"));
        var named = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPublicKeyFromSecret(plain, "team/keys", "absent"));

        Assert.Equal(pair.KeyId, fromCosign.KeyId);
        Assert.Equal("team/signing[cosign.pub]", fromCosign.Source);
        Assert.Equal(pair.KeyId, fromOnlyPem.KeyId);
        Assert.Equal("team/private-only: the Secret holds no public key; put the PEM under 'cosign.pub' (as cosign generate-key-pair k8s://… does)", missing.Message);
        Assert.Equal("team/keys: the Secret has no 'absent' key; it has note, signer.pem", named.Message);
    }
}
