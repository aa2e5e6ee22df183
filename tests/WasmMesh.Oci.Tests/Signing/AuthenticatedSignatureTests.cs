using Microsoft.Extensions.DependencyInjection;
using WasmMesh.Oci.Tests.Integration;

namespace WasmMesh.Oci.Tests.Signing;

/// <summary>Signing and verifying against a registry that requires credentials, passed per call (as a pull secret is).</summary>
public sealed class AuthenticatedSignatureTests(BasicAuthRegistry registry) : IClassFixture<BasicAuthRegistry>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignAndVerify_WithExplicitCredentials_Verify_AndWithoutThemFailAsAuthentication()
    {
        var valid = new RegistryCredentials(registry.Server.Options.Username, registry.Server.Options.Password);
        using var test = new TestClient();
        var services = new ServiceCollection().AddWasmMeshOci();
        await using var provider = services.BuildServiceProvider();
        var signatures = provider.GetRequiredService<IModuleSignatureClient>();
        var reference = TestClient.Ref($"{registry.Server.Host}/signed/filter:v1");
        var push = await test.Client.PushAsync(reference, RepoPaths.Fixture(RepoPaths.AddHeader), new WasmPushOptions { Credentials = valid }, null, Ct);
        var pair = SigningKeys.Generate(null);
        using var key = SigningKeys.LoadPrivateKey(pair.PrivateKeyPem, null, "k");
        using var publicKey = SigningKeys.LoadPublicKey(pair.PublicKeyPem, "k.pub");

        var signed = await signatures.SignAsync(reference, key, valid, Ct);
        var verified = await signatures.VerifyAsync(reference, [publicKey], valid, Ct);
        var anonymous = await Assert.ThrowsAsync<RegistryException>(() => signatures.VerifyAsync(reference, [publicKey], null, Ct));

        Assert.Equal(push.ManifestDigest, signed.Reference.Digest);
        Assert.Equal(push.ManifestDigest, verified.Reference.Digest);
        Assert.Equal(pair.KeyId, verified.KeyId);
        Assert.Equal(SignatureFormat.SimpleSigning, verified.Format);
        Assert.True(anonymous.IsAuthenticationFailure);
    }
}
