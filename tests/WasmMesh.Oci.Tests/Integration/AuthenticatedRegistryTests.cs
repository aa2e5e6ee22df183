namespace WasmMesh.Oci.Tests.Integration;

public sealed class AuthenticatedRegistryTests(BasicAuthRegistry registry) : IClassFixture<BasicAuthRegistry>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RegistryCredentials Valid => new(registry.Server.Options.Username, registry.Server.Options.Password);

    [Theory]
    [MemberData(nameof(Modules.FixturesAndFormats), MemberType = typeof(Modules))]
    public async Task PushThenPull_WithCredentials_IsByteIdentical(string fixture, WasmPushFormat format)
    {
        using var test = new TestClient();

        var (_, saved, _) = await Modules.RoundTripAsync(test.Client, registry.Server.Host, RepoPaths.Fixture(fixture), format, Valid);

        Assert.Equal(Modules.Sha256Of(fixture), saved.Sha256.Hex);
    }

    [Fact]
    public async Task PushAsync_WrongPassword_ThrowsAuthenticationFailure()
    {
        using var test = new TestClient();

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.PushAsync(
            TestClient.Ref($"{registry.Server.Host}/team/filter:v1"),
            RepoPaths.Fixture(RepoPaths.AddHeader),
            new WasmPushOptions { Credentials = new RegistryCredentials(Valid.Username, "wrong-password") },
            null,
            Ct));

        Assert.True(error.IsAuthenticationFailure);
        Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_NoCredentials_ThrowsAuthenticationRequired()
    {
        using var test = new TestClient();

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.PullAsync(TestClient.Ref($"{registry.Server.Host}/team/filter:v1"), null, Ct));

        Assert.True(error.IsAuthenticationFailure);
        Assert.Contains("wasmc login", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckCredentialsAsync_ValidAndInvalid_AcceptsAndRefuses()
    {
        using var test = new TestClient();

        await test.Client.CheckCredentialsAsync(registry.Server.Host, Valid, Ct);
        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.CheckCredentialsAsync(registry.Server.Host, new RegistryCredentials("nobody", "x"), Ct));

        Assert.True(error.IsAuthenticationFailure);
    }
}
