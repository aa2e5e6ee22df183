using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.Sources.Tests;

public sealed class ModuleProviderTests : IDisposable
{
    private readonly TempDirectory _dir = new("wasmmesh-provider");
    private readonly FakeRegistrySource _registry = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EnsureAsync_RegistryTag_RecordsBothDigestsAndLayout()
    {
        var module = WasmModuleBuilder.Build(seed: 1);
        var manifest = _registry.Push("team/filter:v1", module);
        await using var host = CreateHost();

        var result = await host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(ImageReference.Parse("registry.example.com/team/filter:v1")), TestContext.Current.CancellationToken);

        Assert.Equal(Digest.ComputeSha256(module), result.Sha256);
        Assert.Equal(manifest, result.ManifestDigest);
        Assert.Equal("test-layout", result.Layout);
        Assert.Equal(WasmSourceKind.Registry, result.SourceKind);
        Assert.True(result.Downloaded);
    }

    [Fact]
    public async Task EnsureAsync_TagStillOnTheSameManifest_ResolvesButDoesNotPullAgainEvenAfterRestart()
    {
        _registry.Push("team/filter:v1", WasmModuleBuilder.Build(seed: 2));
        var request = WasmSourceRequest.ForRegistry(ImageReference.Parse("registry.example.com/team/filter:v1"));
        await using (var first = CreateHost())
        {
            await first.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);
            var again = await first.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);
            Assert.False(again.Downloaded);
            Assert.Equal("test-layout", again.Layout);
        }

        await using var second = CreateHost();
        var afterRestart = await second.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);

        Assert.False(afterRestart.Downloaded);
        Assert.Equal(3, _registry.Resolves);
        Assert.Equal(1, _registry.Pulls);
    }

    [Fact]
    public async Task EnsureAsync_TagMovedToNewManifest_PullsTheNewModule()
    {
        var request = WasmSourceRequest.ForRegistry(ImageReference.Parse("registry.example.com/team/filter:latest"));
        _registry.Push("team/filter:latest", WasmModuleBuilder.Build(seed: 3));
        await using var host = CreateHost();
        var before = await host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);

        var newer = WasmModuleBuilder.Build(seed: 4);
        _registry.Push("team/filter:latest", newer);
        var after = await host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);

        Assert.NotEqual(before.Sha256, after.Sha256);
        Assert.NotEqual(before.ManifestDigest, after.ManifestDigest);
        Assert.Equal(Digest.ComputeSha256(newer), after.Sha256);
        Assert.Equal(2, _registry.Pulls);
    }

    [Fact]
    public async Task EnsureAsync_PullSecret_IsPassedToTheRegistryButNeverShown()
    {
        _registry.Push("team/private:v1", WasmModuleBuilder.Build(seed: 5));
        var secret = Encoding.UTF8.GetBytes("""{"auths":{"registry.example.com":{"auth":"dXNlcjpodW50ZXIy"}}}""");
        var request = WasmSourceRequest.ForRegistry(ImageReference.Parse("registry.example.com/team/private:v1"), secret);
        await using var host = CreateHost();

        await host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(secret, _registry.LastPullSecret.ToArray());
        Assert.DoesNotContain("dXNlcjpodW50ZXIy", request.ToString());
        Assert.DoesNotContain("dXNlcjpodW50ZXIy", request.SourceKey);
        Assert.DoesNotContain("dXNlcjpodW50ZXIy", request.Description);
    }

    [Fact]
    public async Task EnsureAsync_RegistryModuleNotMatchingPin_ThrowsAndStoresNothing()
    {
        _registry.Push("team/filter:v1", WasmModuleBuilder.Build(seed: 6));
        await using var host = CreateHost();
        var wrongPin = Digest.ComputeSha256(WasmModuleBuilder.Build(seed: 7));

        await Assert.ThrowsAsync<DigestMismatchException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(ImageReference.Parse("registry.example.com/team/filter:v1"), expectedSha256: wrongPin), TestContext.Current.CancellationToken));

        Assert.Empty(host.ModuleFiles());
    }

    [Fact]
    public async Task FindAsync_UnknownDigestWithoutResolver_ReturnsNull()
    {
        await using var host = CreateHost();

        Assert.Null(await host.Provider.FindAsync(Digest.ComputeSha256("nothing"u8), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task FindAsync_TwoHundredConcurrentLookupsOfAnUncachedDigest_FetchOnceThroughTheResolver()
    {
        await using var upstream = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);
        var module = WasmModuleBuilder.Build(padding: 50_000, seed: 8);
        var digest = Digest.ComputeSha256(module);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        upstream.Serve("/m.wasm", module, gate.Task);
        var resolver = new MapResolver { [digest] = WasmSourceRequest.ForObject(upstream.Url("/m.wasm")) };
        await using var host = CreateHost(resolver);
        using var metrics = new MetricRecorder(host.MeterFactory);

        var lookups = Enumerable.Range(0, 200).Select(_ => host.Provider.FindAsync(digest, TestContext.Current.CancellationToken).AsTask()).ToList();
        gate.SetResult();
        var found = await Task.WhenAll(lookups);

        Assert.Equal(1, upstream.Hits("/m.wasm"));
        Assert.All(found, m => Assert.Equal(digest, m?.Sha256));
        Assert.Equal(module, await File.ReadAllBytesAsync(found[0]!.Path, TestContext.Current.CancellationToken));
        Assert.Equal(1, metrics.Count("wasmmesh.sources.fetch.duration", "wasmmesh.source.kind", "object"));
        Assert.Equal(module.Length, metrics.Sum("wasmmesh.sources.fetch.bytes"));
    }

    [Fact]
    public async Task FindAsync_ResolverSourceServesOtherBytes_ThrowsDigestMismatch()
    {
        await using var upstream = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);
        upstream.Serve("/changed.wasm", WasmModuleBuilder.Build(seed: 9));
        var wanted = Digest.ComputeSha256(WasmModuleBuilder.Build(seed: 10));
        var resolver = new MapResolver { [wanted] = WasmSourceRequest.ForObject(upstream.Url("/changed.wasm")) };
        await using var host = CreateHost(resolver);

        await Assert.ThrowsAsync<DigestMismatchException>(async () => await host.Provider.FindAsync(wanted, TestContext.Current.CancellationToken));
        Assert.Empty(host.ModuleFiles());
    }

    [Fact]
    public async Task FindAsync_ResolverPointsAtRegistryImage_PullsByManifestDigest()
    {
        var module = WasmModuleBuilder.Build(seed: 11);
        var manifest = _registry.Push("team/filter:v2", module);
        var digest = Digest.ComputeSha256(module);
        var resolver = new MapResolver { [digest] = WasmSourceRequest.ForRegistry(ImageReference.Parse("registry.example.com/team/filter:v2").WithDigest(manifest)) };
        await using var host = CreateHost(resolver);

        var found = await host.Provider.FindAsync(digest, TestContext.Current.CancellationToken);

        Assert.Equal(digest, found?.Sha256);
        Assert.Equal(0, _registry.Resolves);
        Assert.Equal(1, _registry.Pulls);
    }

    [Fact]
    public async Task EnsureAsync_FailedFetch_IsCountedByKindAndErrorType()
    {
        await using var upstream = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);
        upstream.Map("/gone.wasm", context =>
        {
            context.Response.StatusCode = StatusCodes.Status410Gone;
            return Task.CompletedTask;
        });
        await using var host = CreateHost();
        using var metrics = new MetricRecorder(host.MeterFactory);

        await Assert.ThrowsAsync<WasmSourceException>(() => host.Provider.EnsureAsync(WasmSourceRequest.ForObject(upstream.Url("/gone.wasm")), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<WasmSourceException>(() => host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(ImageReference.Parse("registry.example.com/team/none:v1")), TestContext.Current.CancellationToken));

        Assert.Equal(1, metrics.Sum("wasmmesh.sources.fetch.failures", "wasmmesh.source.kind", "object"));
        Assert.Equal(1, metrics.Sum("wasmmesh.sources.fetch.failures", "wasmmesh.source.kind", "registry"));
        Assert.Equal(2, metrics.Sum("wasmmesh.sources.fetch.failures", "error.type", nameof(WasmSourceException)));
    }

    [Fact]
    public void SourceKey_SameImageDifferentSecrets_Differ()
    {
        var image = ImageReference.Parse("registry.example.com/team/filter:v1");

        var anonymous = WasmSourceRequest.ForRegistry(image);
        var alice = WasmSourceRequest.ForRegistry(image, "{\"auths\":{}}"u8.ToArray());
        var pinned = WasmSourceRequest.ForRegistry(image, expectedSha256: Digest.ComputeSha256("x"u8));

        Assert.Equal(anonymous.SourceKey, WasmSourceRequest.ForRegistry(image).SourceKey);
        Assert.NotEqual(anonymous.SourceKey, alice.SourceKey);
        Assert.NotEqual(anonymous.SourceKey, pinned.SourceKey);
    }

    private SourcesHost CreateHost(IWasmDigestResolver? resolver = null) =>
        SourcesHost.Create(_dir.Path, resolver: resolver, services: s => s.AddSingleton<IRegistryModuleSource>(_registry));

    private sealed class MapResolver : Dictionary<Digest, WasmSourceRequest>, IWasmDigestResolver
    {
        public ValueTask<WasmSourceRequest?> ResolveAsync(Digest sha256, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(TryGetValue(sha256, out var request) ? request : null);
    }
}
