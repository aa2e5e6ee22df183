using System.Security.Cryptography;
using System.Text;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WasmMesh.Model;
using WasmMesh.Oci;
using WasmMesh.Sources;
using Xunit;

namespace WasmMesh.Operator.Tests;

public sealed class AutoWasmSignatureVerifierTests
{
    private static readonly Digest Manifest = Digest.ComputeSha256("manifest"u8);
    private static readonly byte[] ModuleBytes = "\0asm\u0001\0\0\0"u8.ToArray();
    private static readonly Digest ModuleSha = Digest.ComputeSha256(ModuleBytes);

    private readonly ISecretDataReader _secrets = Substitute.For<ISecretDataReader>();
    private readonly IModuleSignatureClient _signatures = Substitute.For<IModuleSignatureClient>();
    private readonly IDetachedSignatureSource _detached = Substitute.For<IDetachedSignatureSource>();
    private readonly SigningKeyPair _pair = SigningKeys.Generate(password: null);

    [Fact]
    public async Task VerifyManifest_SignatureVerifies_ReportsKeyIdAndSource()
    {
        Secret("team", "cosign", ("cosign.pub", _pair.PublicKeyPem));
        var pinned = ImageReference.Parse("registry.example.com/team/filter:v1").WithDigest(Manifest);
        _signatures.VerifyAsync(pinned, Arg.Is<IReadOnlyList<VerificationKey>>(k => k.Count == 1 && k[0].KeyId == _pair.KeyId), null, Arg.Any<CancellationToken>())
            .Returns(new SignatureVerification(pinned, _pair.KeyId, "team/cosign[cosign.pub]", SignatureFormat.SimpleSigning, Digest.ComputeSha256("sig"u8), "registry.example.com/team/filter"));

        var check = await Verifier().VerifyManifestAsync(Registry("team"), pinned, null, TestContext.Current.CancellationToken);

        Assert.True(check.Verified);
        Assert.Equal(_pair.KeyId, check.KeyId);
        Assert.Equal("team/cosign[cosign.pub]", check.KeySource);
        Assert.Contains(Manifest.ToString(), check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyManifest_NoValidSignature_IsAnOutcomeWithTheReasons()
    {
        Secret("team", "cosign", ("cosign.pub", _pair.PublicKeyPem));
        var pinned = ImageReference.Parse("registry.example.com/team/filter:v1").WithDigest(Manifest);
        _signatures.VerifyAsync(Arg.Any<ImageReference>(), Arg.Any<IReadOnlyList<VerificationKey>>(), Arg.Any<RegistryCredentials?>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new SignatureVerificationException(pinned.ToString(), Manifest, ["no signature found (tag sha256-….sig)"]));

        var check = await Verifier().VerifyManifestAsync(Registry("team"), pinned, null, TestContext.Current.CancellationToken);

        Assert.False(check.Verified);
        Assert.Equal("SignatureInvalid", check.Reason);
        Assert.Contains("no signature found", check.Message, StringComparison.Ordinal);
        Assert.Null(check.KeyId);
    }

    [Fact]
    public async Task VerifyManifest_KeysReadFromTheAutoWasmsNamespaceOnly()
    {
        Secret("other", "cosign", ("cosign.pub", _pair.PublicKeyPem));
        _secrets.ReadAsync("team", "cosign", Arg.Any<CancellationToken>()).Returns((IReadOnlyDictionary<string, byte[]>?)null);
        var pinned = ImageReference.Parse("registry.example.com/team/filter:v1").WithDigest(Manifest);

        var check = await Verifier().VerifyManifestAsync(Registry("team"), pinned, null, TestContext.Current.CancellationToken);

        Assert.False(check.Verified);
        Assert.Equal("PublicKeyUnavailable", check.Reason);
        Assert.Contains("Secret team/cosign does not exist", check.Message, StringComparison.Ordinal);
        await _secrets.DidNotReceive().ReadAsync("other", Arg.Any<string>(), Arg.Any<CancellationToken>());
        await _signatures.DidNotReceiveWithAnyArgs().VerifyAsync(default!, default!, default, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task VerifyManifest_SecretWithoutPublicKey_NamesTheField()
    {
        Secret("team", "cosign", ("cosign.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"));
        var pinned = ImageReference.Parse("registry.example.com/team/filter:v1").WithDigest(Manifest);

        var check = await Verifier().VerifyManifestAsync(Registry("team"), pinned, null, TestContext.Current.CancellationToken);

        Assert.Equal("PublicKeyUnavailable", check.Reason);
        Assert.StartsWith("spec.verify.publicKeys[0]: ", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyManifest_ThroughMirror_ReadsTheSignatureWhereTheModuleIsPulled()
    {
        Secret("team", "cosign", ("cosign.pub", _pair.PublicKeyPem));
        var mirrors = MirrorConfiguration.FromRules([new MirrorRule { Source = "registry.example.com/team", Mirrors = ["mirror.internal/team"], SourcePolicy = MirrorSourcePolicy.NeverContactSource }]);
        var pinned = ImageReference.Parse("registry.example.com/team/filter:v1").WithDigest(Manifest);
        var atMirror = ImageReference.Parse("mirror.internal/team/filter").WithDigest(Manifest);
        _signatures.VerifyAsync(Arg.Is<ImageReference>(r => r.Registry == "mirror.internal"), Arg.Any<IReadOnlyList<VerificationKey>>(), null, Arg.Any<CancellationToken>())
            .Returns(new SignatureVerification(atMirror, _pair.KeyId, "team/cosign[cosign.pub]", SignatureFormat.Bundle, Digest.ComputeSha256("sig"u8), null));

        var check = await new AutoWasmSignatureVerifier(_secrets, _signatures, _detached, [mirrors]).VerifyManifestAsync(Registry("team"), pinned, null, TestContext.Current.CancellationToken);

        Assert.True(check.Verified);
        Assert.Contains("mirror mirror.internal", check.Message, StringComparison.Ordinal);
        await _signatures.DidNotReceive().VerifyAsync(Arg.Is<ImageReference>(r => r.Registry == "registry.example.com"), Arg.Any<IReadOnlyList<VerificationKey>>(), Arg.Any<RegistryCredentials?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task VerifyBlob_SignBlobSignatureOverTheModule_VerifiesAgainstThePinnedDigest()
    {
        Secret("team", "keys", ("release.pub", _pair.PublicKeyPem), ("other", "not a key"));
        using var key = ECDsa.Create();
        key.ImportFromPem(_pair.PrivateKeyPem);
        var signature = key.SignData(ModuleBytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        _detached.ReadAsync(new Uri("https://bucket.example.com/f.wasm.sig"), Arg.Any<CancellationToken>()).Returns(Encoding.ASCII.GetBytes(Convert.ToBase64String(signature) + "\n"));

        var check = await Verifier().VerifyBlobAsync(Object("team", keyField: "release.pub"), ModuleSha, TestContext.Current.CancellationToken);

        Assert.True(check.Verified, check.Message);
        Assert.Equal(_pair.KeyId, check.KeyId);
        Assert.Equal("team/keys[release.pub]", check.KeySource);
    }

    [Fact]
    public async Task VerifyBlob_SignatureOfOtherBytesOrGarbage_IsRefused()
    {
        Secret("team", "keys", ("release.pub", _pair.PublicKeyPem));
        using var key = ECDsa.Create();
        key.ImportFromPem(_pair.PrivateKeyPem);
        var other = key.SignData("other module"u8, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        _detached.ReadAsync(Arg.Any<Uri>(), Arg.Any<CancellationToken>()).Returns(Encoding.ASCII.GetBytes(Convert.ToBase64String(other)), "%%% not base64 %%%"u8.ToArray());

        var wrong = await Verifier().VerifyBlobAsync(Object("team", keyField: "release.pub"), ModuleSha, TestContext.Current.CancellationToken);
        var garbage = await Verifier().VerifyBlobAsync(Object("team", keyField: "release.pub"), ModuleSha, TestContext.Current.CancellationToken);

        Assert.False(wrong.Verified);
        Assert.Contains($"not a signature of module {ModuleSha}", wrong.Message, StringComparison.Ordinal);
        Assert.False(garbage.Verified);
        Assert.Contains("neither base64 nor a DER signature", garbage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBlob_SignatureMadeByOpenssl_Verifies()
    {
        var openssl = WasmMesh.TestSupport.ExternalBinary.Require("openssl", "openssl");
        using var dir = new WasmMesh.TestSupport.TempDirectory();
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(dir.Combine("key.pem"), _pair.PrivateKeyPem, ct);
        await File.WriteAllBytesAsync(dir.Combine("module.wasm"), ModuleBytes, ct);
        var sign = await WasmMesh.TestSupport.ProcessRunner.RunAsync(openssl, ["dgst", "-sha256", "-sign", dir.Combine("key.pem"), "-out", dir.Combine("sig.der"), dir.Combine("module.wasm")], cancellationToken: ct);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Secret("team", "keys", ("release.pub", _pair.PublicKeyPem));
        var der = await File.ReadAllBytesAsync(dir.Combine("sig.der"), ct);
        _detached.ReadAsync(Arg.Any<Uri>(), Arg.Any<CancellationToken>()).Returns(der);

        var check = await Verifier().VerifyBlobAsync(Object("team", keyField: "release.pub"), ModuleSha, ct);

        Assert.True(check.Verified, check.Message);
    }

    [Fact]
    public void DecodeSignature_RawDer_IsAccepted()
    {
        var der = new byte[] { 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01 };
        Assert.Equal(der, AutoWasmSignatureVerifier.DecodeSignature(der));
    }

    private AutoWasmSignatureVerifier Verifier() => new(_secrets, _signatures, _detached, []);

    private void Secret(string ns, string name, params (string Key, string Value)[] data)
        => _secrets.ReadAsync(ns, name, Arg.Any<CancellationToken>())
            .Returns(data.ToDictionary(d => d.Key, d => Encoding.ASCII.GetBytes(d.Value), StringComparer.Ordinal));

    private static AutoWasm Registry(string ns) => AutoWasmReader.ReadSingle($$"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata: {name: signed, namespace: {{ns}}}
        spec:
          filter:
            source:
              registry: {image: registry.example.com/team/filter:v1}
          verify:
            publicKeys: [{name: cosign}]
        """, "aw.yaml");

    private static AutoWasm Object(string ns, string keyField) => AutoWasmReader.ReadSingle($$"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata: {name: blob, namespace: {{ns}}}
        spec:
          filter:
            source:
              object:
                url: https://bucket.example.com/f.wasm
                sha256: {{ModuleSha.Hex}}
                signatureUrl: https://bucket.example.com/f.wasm.sig
          verify:
            publicKeys: [{name: keys, key: {{keyField}}}]
        """, "aw.yaml");
}
