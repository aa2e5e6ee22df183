using System.Text;
using System.Text.Json.Nodes;
using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.Registry;

/// <summary>wasmc generate-key, sign and verify against a real registry, with openssl on the other side.</summary>
public sealed class SignatureCommandTests(PlainRegistry registry) : IClassFixture<PlainRegistry>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GenerateKeySignVerify_WasmcOnBothSides_VerifiesWithTheKeyId()
    {
        using var dir = new TempDirectory();
        var (reference, digest) = await PushAsync("sign/roundtrip:v1");

        var keys = await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("cosign"));
        var sign = await WasmcRun.RunAsync("sign", "--key", dir.Combine("cosign.key"), reference);
        var verify = await WasmcRun.RunAsync("verify", "--key", dir.Combine("cosign.pub"), reference);

        Assert.True(keys.ExitCode == 0, keys.ToString());
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", await File.ReadAllTextAsync(dir.Combine("cosign.pub"), Ct), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(dir.Combine("cosign.key"), Ct), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine("cosign.key")));
        }
        var keyId = keys.Out.Split('\n')[2]["Key id: ".Length..];
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Equal($"Signed {reference}@{digest}\nSignature: {registry.Server.Host}/sign/roundtrip:{digest.Replace(':', '-')}.sig\nKey id: {keyId}\n", sign.Out);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith($"Verified {reference}@{digest}\nFormat: cosign simple signing\nKey id: {keyId} ({dir.Combine("cosign.pub")})\n", verify.Out, StringComparison.Ordinal);
        Assert.Contains($"Signed identity: {registry.Server.Host}/sign/roundtrip\n", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_ThenOpensslVerifiesThePayloadAndSignatureFromTheRegistry()
    {
        var openssl = ExternalBinary.Require("openssl", "openssl");
        using var dir = new TempDirectory();
        using var raw = new RawRegistry(registry.Server);
        var (reference, digest) = await PushAsync("sign/openssl-verifies:v1");
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("cosign"));

        var sign = await WasmcRun.RunAsync("sign", "--key", dir.Combine("cosign.key"), reference);

        Assert.True(sign.ExitCode == 0, sign.ToString());
        var manifest = JsonNode.Parse(await raw.GetManifestAsync("sign/openssl-verifies", digest.Replace(':', '-') + ".sig", Ct))!;
        var layer = manifest["layers"]![0]!;
        Assert.Equal("application/vnd.dev.cosign.simplesigning.v1+json", (string?)layer["mediaType"]);
        var payload = await raw.GetBlobAsync("sign/openssl-verifies", (string)layer["digest"]!, Ct);
        var claim = JsonNode.Parse(payload)!["critical"]!;
        Assert.Equal(digest, (string?)claim["image"]!["docker-manifest-digest"]);
        Assert.Equal("cosign container image signature", (string?)claim["type"]);
        Assert.Equal($"{registry.Server.Host}/sign/openssl-verifies", (string?)claim["identity"]!["docker-reference"]);
        await File.WriteAllBytesAsync(dir.Combine("payload.json"), payload, Ct);
        await File.WriteAllBytesAsync(dir.Combine("sig.der"), Convert.FromBase64String((string)layer["annotations"]!["dev.cosignproject.cosign/signature"]!), Ct);
        var check = await ProcessRunner.RunAsync(openssl, ["dgst", "-sha256", "-verify", dir.Combine("cosign.pub"), "-signature", dir.Combine("sig.der"), dir.Combine("payload.json")], cancellationToken: Ct);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("Verified OK", check.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SimpleSignatureMadeByOpensslInCosignLayout_Verifies()
    {
        var openssl = ExternalBinary.Require("openssl", "openssl");
        using var dir = new TempDirectory();
        using var raw = new RawRegistry(registry.Server);
        var (reference, digest) = await PushAsync("sign/openssl-signed:v1");
        var (_, publicKey) = await OpensslKeyAsync(openssl, dir, "ext");
        var payload = Encoding.UTF8.GetBytes($"{{\"critical\":{{\"identity\":{{\"docker-reference\":\"{registry.Server.Host}/sign/openssl-signed\"}},\"image\":{{\"docker-manifest-digest\":\"{digest}\"}},\"type\":\"cosign container image signature\"}},\"optional\":{{\"creator\":\"hand\"}}}}");
        var signature = await OpensslSignAsync(openssl, dir, "ext", payload);
        await raw.PushSimpleSignatureAsync("sign/openssl-signed", digest.Replace(':', '-') + ".sig", [(payload, signature)], Ct);

        var verify = await WasmcRun.RunAsync("verify", "--key", publicKey, reference);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith($"Verified {reference}@{digest}\nFormat: cosign simple signing\n", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BundleReferrerMadeByOpensslUnderTheTagFallback_Verifies()
    {
        var openssl = ExternalBinary.Require("openssl", "openssl");
        using var dir = new TempDirectory();
        var (reference, digest) = await PushAsync("sign/bundle:v1");
        var (_, publicKey) = await OpensslKeyAsync(openssl, dir, "bundle");
        await PushBundleAsync(openssl, dir, "bundle", "sign/bundle", digest, digest);

        var verify = await WasmcRun.RunAsync("verify", "--key", publicKey, reference);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith($"Verified {reference}@{digest}\nFormat: sigstore bundle (DSSE)\n", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveWithSignaturesAndLoad_BundleReferrerMovesAlongAndStillVerifies()
    {
        var openssl = ExternalBinary.Require("openssl", "openssl");
        using var dir = new TempDirectory();
        var (reference, digest) = await PushAsync("sign/bundle-source:v1");
        var (_, publicKey) = await OpensslKeyAsync(openssl, dir, "bundle");
        await PushBundleAsync(openssl, dir, "bundle", "sign/bundle-source", digest, digest);
        var archive = dir.Combine("bundle.tar");

        var save = await WasmcRun.RunAsync("save", reference, "--with-signatures", "-o", archive);
        var load = await WasmcRun.RunAsync("load", archive, "--to", $"{registry.Server.Host}/sign/bundle-moved");
        var verify = await WasmcRun.RunAsync("verify", "--key", publicKey, $"{registry.Server.Host}/sign/bundle-moved:v1");

        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.Contains($"Saved {digest.Replace(':', '-')} sha256:", save.Out, StringComparison.Ordinal);
        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith($"Verified {registry.Server.Host}/sign/bundle-moved:v1@{digest}\nFormat: sigstore bundle (DSSE)\n", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BundleWhoseStatementNamesAnotherDigest_FailsNamingBoth()
    {
        var openssl = ExternalBinary.Require("openssl", "openssl");
        using var dir = new TempDirectory();
        var (reference, digest) = await PushAsync("sign/bundle-other:v1");
        var (_, publicKey) = await OpensslKeyAsync(openssl, dir, "bundle");
        var other = "sha256:" + new string('a', 64);
        await PushBundleAsync(openssl, dir, "bundle", "sign/bundle-other", digest, other);

        var verify = await WasmcRun.RunAsync("verify", "--key", publicKey, reference);

        Assert.Equal(1, verify.ExitCode);
        Assert.Empty(verify.Out);
        Assert.Contains($"the signed statement names {other}, not {digest} (a signature for another manifest)", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OpensslEcKeyUsedBySign_VerifiesWithOpensslPublicKey()
    {
        var openssl = ExternalBinary.Require("openssl", "openssl");
        using var dir = new TempDirectory();
        var (reference, _) = await PushAsync("sign/openssl-key:v1");
        var (privateKey, publicKey) = await OpensslKeyAsync(openssl, dir, "ec");

        var sign = await WasmcRun.RunAsync("sign", "--key", privateKey, reference);
        var verify = await WasmcRun.RunAsync("verify", "--key", publicKey, reference);

        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task Verify_WrongKey_FailsSayingTheSignatureDoesNotVerify()
    {
        using var dir = new TempDirectory();
        var (reference, digest) = await PushAsync("sign/wrong-key:v1");
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("signer"));
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("other"));
        await WasmcRun.RunAsync("sign", "--key", dir.Combine("signer.key"), reference);

        var verify = await WasmcRun.RunAsync("verify", "--key", dir.Combine("other.pub"), reference);

        Assert.Equal(1, verify.ExitCode);
        Assert.Empty(verify.Out);
        Assert.StartsWith($"wasmc: {reference}@{digest}: no valid signature for {digest}: {digest.Replace(':', '-')}.sig layer 1: the signature does not verify with key sha256:", verify.Error, StringComparison.Ordinal);
        Assert.Single(verify.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Verify_Unsigned_FailsSayingNoSignatureWasFound()
    {
        using var dir = new TempDirectory();
        var (reference, digest) = await PushAsync("sign/unsigned:v1");
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("cosign"));

        var verify = await WasmcRun.RunAsync("verify", "--key", dir.Combine("cosign.pub"), reference);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"no valid signature for {digest}: no signature found (no tag {digest.Replace(':', '-')}.sig and no sigstore bundle referrer)", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TagMovedToATamperedManifest_FailsBecauseTheNewDigestIsUnsigned()
    {
        using var dir = new TempDirectory();
        using var raw = new RawRegistry(registry.Server);
        var (reference, digest) = await PushAsync("sign/tampered:v1");
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("cosign"));
        await WasmcRun.RunAsync("sign", "--key", dir.Combine("cosign.key"), reference);
        var manifest = JsonNode.Parse(await raw.GetManifestAsync("sign/tampered", "v1", Ct))!.AsObject();
        manifest["annotations"]!["org.example/injected"] = "yes";
        var tampered = await raw.PutManifestAsync("sign/tampered", "v1", Encoding.UTF8.GetBytes(manifest.ToJsonString()), "application/vnd.oci.image.manifest.v1+json", Ct);

        var verify = await WasmcRun.RunAsync("verify", "--key", dir.Combine("cosign.pub"), reference);
        var pinned = await WasmcRun.RunAsync("verify", "--key", dir.Combine("cosign.pub"), $"{registry.Server.Host}/sign/tampered@{digest}");

        Assert.NotEqual(digest, tampered);
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"no valid signature for {tampered}: no signature found", verify.Error, StringComparison.Ordinal);
        Assert.True(pinned.ExitCode == 0, pinned.ToString());
    }

    [Fact]
    public async Task Verify_SignatureOfAnotherDigestCopiedUnderThisDigestsTag_FailsNamingBothDigests()
    {
        using var dir = new TempDirectory();
        using var raw = new RawRegistry(registry.Server);
        var (signedRef, signedDigest) = await PushAsync("sign/copied:signed");
        var (otherRef, otherDigest) = await PushAsync("sign/copied:other", seed: 7);
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("cosign"));
        await WasmcRun.RunAsync("sign", "--key", dir.Combine("cosign.key"), signedRef);
        var signature = await raw.GetManifestAsync("sign/copied", signedDigest.Replace(':', '-') + ".sig", Ct);
        await raw.PutManifestAsync("sign/copied", otherDigest.Replace(':', '-') + ".sig", signature, "application/vnd.oci.image.manifest.v1+json", Ct);

        var verify = await WasmcRun.RunAsync("verify", "--key", dir.Combine("cosign.pub"), otherRef);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"the signed payload names {signedDigest}, not {otherDigest} (a signature for another manifest)", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PayloadAlteredAfterSigning_FailsSayingTheSignatureDoesNotVerify()
    {
        var openssl = ExternalBinary.Require("openssl", "openssl");
        using var dir = new TempDirectory();
        using var raw = new RawRegistry(registry.Server);
        var (reference, digest) = await PushAsync("sign/altered:v1");
        var (_, publicKey) = await OpensslKeyAsync(openssl, dir, "k");
        var payload = Encoding.UTF8.GetBytes($"{{\"critical\":{{\"identity\":{{\"docker-reference\":\"x\"}},\"image\":{{\"docker-manifest-digest\":\"{digest}\"}},\"type\":\"cosign container image signature\"}},\"optional\":null}}");
        var signature = await OpensslSignAsync(openssl, dir, "k", payload);
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payload).Replace("\"x\"", "\"y\"", StringComparison.Ordinal));
        await raw.PushSimpleSignatureAsync("sign/altered", digest.Replace(':', '-') + ".sig", [(altered, signature)], Ct);

        var verify = await WasmcRun.RunAsync("verify", "--key", publicKey, reference);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("layer 1: the signature does not verify with key", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignTwice_SameKey_KeepsOneLayerAndAnotherKeyAddsOne()
    {
        using var dir = new TempDirectory();
        using var raw = new RawRegistry(registry.Server);
        var (reference, digest) = await PushAsync("sign/twice:v1");
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("a"));
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("b"));

        await WasmcRun.RunAsync("sign", "--key", dir.Combine("a.key"), reference);
        await WasmcRun.RunAsync("sign", "--key", dir.Combine("a.key"), reference);
        await WasmcRun.RunAsync("sign", "--key", dir.Combine("b.key"), reference);
        var verifyA = await WasmcRun.RunAsync("verify", "--key", dir.Combine("a.pub"), reference);
        var verifyB = await WasmcRun.RunAsync("verify", "--key", dir.Combine("b.pub"), reference);

        var manifest = JsonNode.Parse(await raw.GetManifestAsync("sign/twice", digest.Replace(':', '-') + ".sig", Ct))!;
        Assert.Equal(2, manifest["layers"]!.AsArray().Count);
        Assert.Equal(0, verifyA.ExitCode);
        Assert.Equal(0, verifyB.ExitCode);
    }

    [Fact]
    public async Task SignAndVerify_BadInputs_FailWithUsageErrors()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("junk.pem"), "not a key", Ct);
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("cosign"));

        var missingKey = await WasmcRun.RunAsync("sign", "--key", dir.Combine("absent.key"), $"{registry.Server.Host}/sign/x:v1");
        var junk = await WasmcRun.RunAsync("verify", "--key", dir.Combine("junk.pem"), $"{registry.Server.Host}/sign/x:v1");
        var privateAsPublic = await WasmcRun.RunAsync("verify", "--key", dir.Combine("cosign.key"), $"{registry.Server.Host}/sign/x:v1");
        var missingImage = await WasmcRun.RunAsync("sign", "--key", dir.Combine("cosign.key"), $"{registry.Server.Host}/sign/absent:v1");
        var again = await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("cosign"));

        Assert.Equal(2, missingKey.ExitCode);
        Assert.Contains("does not exist", missingKey.Error, StringComparison.Ordinal);
        Assert.Equal(1, junk.ExitCode);
        Assert.Contains("no PEM block found", junk.Error, StringComparison.Ordinal);
        Assert.Contains("this is a private key; verification needs the public key", privateAsPublic.Error, StringComparison.Ordinal);
        Assert.Equal(1, missingImage.ExitCode);
        Assert.Contains("not found in the registry; push the module before signing it", missingImage.Error, StringComparison.Ordinal);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
    }

    private async Task<(string Reference, string Digest)> PushAsync(string repositoryAndTag, int seed = 0)
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("m.wasm");
        await File.WriteAllBytesAsync(file, WasmModuleBuilder.Build(["proxy_abi_version_0_2_0"], seed: seed), Ct);
        var reference = $"{registry.Server.Host}/{repositoryAndTag}";
        var push = await WasmcRun.RunAsync("push", reference, "-f", file);
        Assert.True(push.ExitCode == 0, push.ToString());
        return (reference, push.Out.Split('\n')[1]["Digest: ".Length..]);
    }

    private static async Task<(string PrivateKey, string PublicKey)> OpensslKeyAsync(string openssl, TempDirectory dir, string name)
    {
        var privateKey = dir.Combine(name + ".pem");
        var publicKey = dir.Combine(name + ".pub");
        var gen = await ProcessRunner.RunAsync(openssl, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", privateKey], cancellationToken: Ct);
        Assert.True(gen.ExitCode == 0, gen.ToString());
        var pub = await ProcessRunner.RunAsync(openssl, ["ec", "-in", privateKey, "-pubout", "-out", publicKey], cancellationToken: Ct);
        Assert.True(pub.ExitCode == 0, pub.ToString());
        return (privateKey, publicKey);
    }

    private static async Task<byte[]> OpensslSignAsync(string openssl, TempDirectory dir, string name, byte[] payload)
    {
        var input = dir.Combine(name + "-" + Guid.NewGuid().ToString("N") + ".bin");
        await File.WriteAllBytesAsync(input, payload, Ct);
        var sign = await ProcessRunner.RunAsync(openssl, ["dgst", "-sha256", "-sign", dir.Combine(name + ".pem"), "-out", input + ".sig", input], cancellationToken: Ct);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        return await File.ReadAllBytesAsync(input + ".sig", Ct);
    }

    /// <summary>Writes a cosign v3 bundle referrer by hand: DSSE over an in-toto statement, stored under the sha256-&lt;hex&gt; fallback tag.</summary>
    private async Task PushBundleAsync(string openssl, TempDirectory dir, string key, string repository, string subjectDigest, string statementDigest)
    {
        using var raw = new RawRegistry(registry.Server);
        var statement = Encoding.UTF8.GetBytes($"{{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{{\"name\":\"{registry.Server.Host}/{repository}\",\"digest\":{{\"sha256\":\"{statementDigest["sha256:".Length..]}\"}}}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{{}}}}");
        const string payloadType = "application/vnd.in-toto+json";
        var pae = Encoding.UTF8.GetBytes($"DSSEv1 {payloadType.Length} {payloadType} {statement.Length} ").Concat(statement).ToArray();
        var signature = await OpensslSignAsync(openssl, dir, key, pae);
        var bundle = Encoding.UTF8.GetBytes($"{{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{{\"publicKey\":{{\"hint\":\"k\"}}}},\"dsseEnvelope\":{{\"payload\":\"{Convert.ToBase64String(statement)}\",\"payloadType\":\"{payloadType}\",\"signatures\":[{{\"sig\":\"{Convert.ToBase64String(signature)}\"}}]}}}}");
        var bundleDigest = await raw.PushBlobAsync(repository, bundle, Ct);
        var emptyDigest = await raw.PushBlobAsync(repository, "{}"u8.ToArray(), Ct);
        var subjectManifest = await raw.GetManifestAsync(repository, subjectDigest, Ct);
        var manifest = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2,\"digest\":\"{emptyDigest}\"}},\"layers\":[{{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"size\":{bundle.Length},\"digest\":\"{bundleDigest}\"}}],\"subject\":{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":{subjectManifest.Length},\"digest\":\"{subjectDigest}\"}},\"annotations\":{{\"dev.sigstore.bundle.content\":\"dsse-envelope\",\"dev.sigstore.bundle.predicateType\":\"https://sigstore.dev/cosign/sign/v1\"}}}}");
        var manifestDigest = await raw.PutManifestAsync(repository, ManifestDigestOf(manifest), manifest, "application/vnd.oci.image.manifest.v1+json", Ct);
        var index = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":{manifest.Length},\"digest\":\"{manifestDigest}\",\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}}]}}");
        await raw.PutManifestAsync(repository, subjectDigest.Replace(':', '-'), index, "application/vnd.oci.image.index.v1+json", Ct);
    }

    private static string ManifestDigestOf(byte[] manifest) => RawRegistry.Sha256(manifest);
}
