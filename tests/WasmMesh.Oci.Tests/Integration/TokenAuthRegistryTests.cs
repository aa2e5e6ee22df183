namespace WasmMesh.Oci.Tests.Integration;

/// <summary>docker-registry with Bearer token auth, backed by a test token service.</summary>
public sealed class TokenAuthRegistryTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("wasmmesh-token");
    private RegistryTokenServer? _tokens;
    private RegistryServer? _registry;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (ExternalBinary.Find("docker-registry") is null)
        {
            return;
        }

        _tokens = RegistryTokenServer.Start(_dir.Path, "tok", "tok-pass");
        _registry = await RegistryServer.StartAsync(new RegistryServerOptions { TokenAuth = _tokens.Auth });
    }

    public async ValueTask DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        if (_tokens is not null)
        {
            await _tokens.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task PushThenPull_BearerTokens_RoundTripsAndCachesTokensPerScope()
    {
        ExternalBinary.Require("docker-registry", "docker-registry");
        using var test = new TestClient();
        var credentials = new RegistryCredentials("tok", "tok-pass");

        var (_, saved, _) = await Modules.RoundTripAsync(test.Client, _registry!.Host, RepoPaths.Fixture(RepoPaths.AddConfiguredHeader), WasmPushFormat.Image, credentials);
        var afterFirst = _tokens!.TokensIssued;
        var (_, again, _) = await Modules.RoundTripAsync(test.Client, _registry.Host, RepoPaths.Fixture(RepoPaths.AddHeader), WasmPushFormat.Artifact, credentials);

        Assert.Equal(RepoPaths.AddConfiguredHeaderSha256, saved.Sha256.Hex);
        Assert.Equal(RepoPaths.AddHeaderSha256, again.Sha256.Hex);
        Assert.InRange(afterFirst, 1, 2);
        Assert.Contains(_tokens.Scopes, s => s.EndsWith(":pull,push", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullAsync_WrongPassword_ThrowsAuthenticationFailure()
    {
        ExternalBinary.Require("docker-registry", "docker-registry");
        using var test = new TestClient();

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.PullAsync(TestClient.Ref($"{_registry!.Host}/team/filter:v1"), new RegistryCredentials("tok", "nope"), Ct));

        Assert.True(error.IsAuthenticationFailure);
    }
}
