namespace WasmMesh.Oci.Tests.Integration;

public sealed class TlsRegistryTests(TlsRegistry registry) : IClassFixture<TlsRegistry>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Modules.FixturesAndFormats), MemberType = typeof(Modules))]
    public async Task PushThenPull_TrustingTheCaFile_IsByteIdentical(string fixture, WasmPushFormat format)
    {
        using var test = new TestClient(o => o.CaFile = registry.Server.CaFile);

        var (_, saved, _) = await Modules.RoundTripAsync(test.Client, registry.Server.Host, RepoPaths.Fixture(fixture), format);

        Assert.Equal(Modules.Sha256Of(fixture), saved.Sha256.Hex);
    }

    [Fact]
    public async Task PushAsync_UntrustedCertificate_FailsWithTlsHint()
    {
        using var test = new TestClient();

        var error = await Assert.ThrowsAsync<RegistryUnreachableException>(() => test.Client.PushAsync(TestClient.Ref($"{registry.Server.Host}/team/filter:v1"), RepoPaths.Fixture(RepoPaths.AddHeader), new WasmPushOptions(), null, Ct));

        Assert.Contains("--ca-file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushThenPull_InsecureRegistry_SkipsVerification()
    {
        using var test = new TestClient(o => o.InsecureRegistries.Add(registry.Server.Host));

        var (_, saved, _) = await Modules.RoundTripAsync(test.Client, registry.Server.Host, RepoPaths.Fixture(RepoPaths.AddHeader), WasmPushFormat.Image);

        Assert.Equal(RepoPaths.AddHeaderSha256, saved.Sha256.Hex);
    }

    [Fact]
    public async Task PushAsync_PlainHttpAgainstTls_SaysTheRegistryServesHttps()
    {
        using var test = new TestClient(o => o.PlainHttp = true);

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.PushAsync(TestClient.Ref($"{registry.Server.Host}/team/filter:v1"), RepoPaths.Fixture(RepoPaths.AddHeader), new WasmPushOptions(), null, Ct));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("it probably serves HTTPS — drop --plain-http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CaFile_NotPem_IsRejectedAtStart()
    {
        using var dir = new TempDirectory();
        var der = dir.Combine("ca.der");
        File.WriteAllBytes(der, System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(registry.Server.CaFile!).RawData);

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new TestClient(o => o.CaFile = der));

        Assert.Contains($"CaFile '{der}' holds no PEM certificate", error.Message, StringComparison.Ordinal);
        Assert.Null(OciClientOptions.CaFileProblem(registry.Server.CaFile!));
    }
}
