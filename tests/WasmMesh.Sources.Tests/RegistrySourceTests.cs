using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.Oci;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.Sources.Tests;

/// <summary>The registry source against a real <c>docker-registry</c> (skipped when it is not installed).</summary>
public sealed class RegistrySourceTests(RegistryServerFixture registry) : IClassFixture<RegistryServerFixture>, IDisposable
{
    private readonly TempDirectory _dir = new("wasmmesh-registry-source");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(WasmPushFormat.Image, nameof(WasmLayout.OciImage))]
    [InlineData(WasmPushFormat.Artifact, nameof(WasmLayout.WasmeArtifact))]
    public async Task EnsureAsync_PushedImage_FetchesVerifiesAndRecordsBothDigests(WasmPushFormat format, string layout)
    {
        var server = registry.Server;
        var file = _dir.Combine($"{format}.wasm");
        await File.WriteAllBytesAsync(file, await File.ReadAllBytesAsync(RepoPaths.Fixture(RepoPaths.AddConfiguredHeader), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        var reference = ImageReference.Parse($"{server.Host}/team/add-header-{format.ToString().ToLowerInvariant()}:v1");
        var pushed = await PushAsync(reference, file, format);
        await using var host = SourcesHost.Create(_dir.Combine("cache"));

        var result = await host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(reference), TestContext.Current.CancellationToken);

        Assert.Equal(RepoPaths.AddConfiguredHeaderSha256, result.Sha256.Hex);
        Assert.Equal(pushed.ManifestDigest, result.ManifestDigest);
        Assert.Equal(layout, result.Layout);
        Assert.StartsWith("proxy_abi_version_", result.ProxyAbiVersion);
        Assert.Equal(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(result.Path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EnsureAsync_TagMovedInRegistry_FetchesTheNewModuleAndSkipsPullsWhileItStays()
    {
        var server = registry.Server;
        var reference = ImageReference.Parse($"{server.Host}/team/moving:latest");
        var first = _dir.Combine("first.wasm");
        var second = _dir.Combine("second.wasm");
        await File.WriteAllBytesAsync(first, WasmModuleBuilder.Build(seed: 1), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(second, WasmModuleBuilder.Build(seed: 2), TestContext.Current.CancellationToken);
        await using var host = SourcesHost.Create(_dir.Combine("cache"));
        var request = WasmSourceRequest.ForRegistry(reference);

        await PushAsync(reference, first, WasmPushFormat.Image);
        var before = await host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);
        var unchanged = await host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);
        var moved = await PushAsync(reference, second, WasmPushFormat.Image);
        var after = await host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);

        Assert.True(before.Downloaded);
        Assert.False(unchanged.Downloaded);
        Assert.Equal(before.Sha256, unchanged.Sha256);
        Assert.True(after.Downloaded);
        Assert.Equal(moved.ManifestDigest, after.ManifestDigest);
        Assert.Equal(moved.WasmSha256, after.Sha256);
    }

    [Fact]
    public async Task EnsureAsync_UnknownTag_ThrowsPermanentNotFound()
    {
        var server = registry.Server;
        await using var host = SourcesHost.Create(_dir.Combine("cache"));

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(ImageReference.Parse($"{server.Host}/team/nothing:v9")), TestContext.Current.CancellationToken));

        Assert.Equal(WasmSourceKind.Registry, error.Kind);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task FindAsync_ResolverNamesImageByManifestDigest_FillsFromTheRegistry()
    {
        var server = registry.Server;
        var file = _dir.Combine("m.wasm");
        var module = WasmModuleBuilder.Build(seed: 3);
        await File.WriteAllBytesAsync(file, module, TestContext.Current.CancellationToken);
        var reference = ImageReference.Parse($"{server.Host}/team/by-digest:v1");
        var pushed = await PushAsync(reference, file, WasmPushFormat.Artifact);
        var resolver = new SingleResolver(pushed.WasmSha256, WasmSourceRequest.ForRegistry(reference.WithDigest(pushed.ManifestDigest)));
        await using var host = SourcesHost.Create(_dir.Combine("cache"), resolver: resolver);

        var found = await host.Provider.FindAsync(pushed.WasmSha256, TestContext.Current.CancellationToken);

        Assert.NotNull(found);
        Assert.Equal(module, await File.ReadAllBytesAsync(found.Path, TestContext.Current.CancellationToken));
    }

    private static async Task<WasmPushResult> PushAsync(ImageReference reference, string file, WasmPushFormat format, RegistryCredentials? credentials = null)
    {
        await using var services = new ServiceCollection().AddLogging().AddWasmMeshOci().BuildServiceProvider();
        return await services.GetRequiredService<IWasmRegistryClient>().PushAsync(reference, file, new WasmPushOptions { Format = format, Credentials = credentials }, cancellationToken: TestContext.Current.CancellationToken);
    }

    internal static byte[] DockerConfigJson(string registryHost, string user, string password) => Encoding.UTF8.GetBytes(
        "{\"auths\":{\"" + registryHost + "\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) + "\"}}}");

    internal static async Task<WasmPushResult> PushWithAsync(ImageReference reference, string file, RegistryCredentials credentials) => await PushAsync(reference, file, WasmPushFormat.Image, credentials);

    private sealed class SingleResolver(Digest digest, WasmSourceRequest request) : IWasmDigestResolver
    {
        public ValueTask<WasmSourceRequest?> ResolveAsync(Digest sha256, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(sha256 == digest ? request : null);
    }
}

/// <summary>A registry that requires HTTP Basic auth (htpasswd).</summary>
public sealed class HtpasswdRegistryFixture : RegistryServerFixture
{
    protected override RegistryServerOptions Options => new() { Htpasswd = true };
}

/// <summary>The registry source with a pull secret, against a real <c>docker-registry</c> that requires credentials.</summary>
public sealed class PrivateRegistrySourceTests(HtpasswdRegistryFixture registry) : IClassFixture<HtpasswdRegistryFixture>, IDisposable
{
    private readonly TempDirectory _dir = new("wasmmesh-private-registry");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EnsureAsync_PrivateImage_NeedsThePullSecretAndNeverShowsIt()
    {
        var server = registry.Server;
        var file = _dir.Combine("m.wasm");
        var module = WasmModuleBuilder.Build(seed: 4);
        await File.WriteAllBytesAsync(file, module, TestContext.Current.CancellationToken);
        var reference = ImageReference.Parse($"{server.Host}/team/private:v1");
        await RegistrySourceTests.PushWithAsync(reference, file, new RegistryCredentials(server.Options.Username, server.Options.Password));
        var secret = RegistrySourceTests.DockerConfigJson(server.Host, server.Options.Username, server.Options.Password);
        await using var host = SourcesHost.Create(_dir.Combine("cache"));

        var anonymous = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(reference), TestContext.Current.CancellationToken));
        var wrong = await Assert.ThrowsAsync<WasmSourceException>(() => host.Provider.EnsureAsync(
            WasmSourceRequest.ForRegistry(reference, RegistrySourceTests.DockerConfigJson(server.Host, server.Options.Username, "wrong-password")),
            TestContext.Current.CancellationToken));
        var result = await host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(reference, secret), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.False(anonymous.IsTransient);
        Assert.DoesNotContain("wrong-password", wrong.ToString());
        Assert.DoesNotContain(server.Options.Password, wrong.ToString());
        Assert.Equal(Digest.ComputeSha256(module), result.Sha256);
    }

    [Fact]
    public async Task EnsureAsync_MalformedPullSecret_ThrowsPermanentErrorWithoutItsContent()
    {
        var server = registry.Server;
        await using var host = SourcesHost.Create(_dir.Combine("cache"));

        var error = await Assert.ThrowsAsync<WasmSourceException>(() => host.Provider.EnsureAsync(
            WasmSourceRequest.ForRegistry(ImageReference.Parse($"{server.Host}/team/private:v1"), "{\"auths\": not-json-hunter2"u8.ToArray()),
            TestContext.Current.CancellationToken));

        Assert.False(error.IsTransient);
        Assert.Contains(".dockerconfigjson", error.Message);
        Assert.DoesNotContain("hunter2", error.ToString());
    }
}
