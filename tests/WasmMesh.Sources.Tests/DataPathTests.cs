using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.Sources.Tests;

/// <summary>Pins checked against their source whatever the cache holds, one fetch per module, and the background scrub.</summary>
public sealed class DataPathTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("wasmmesh-datapath");
    private HttpTestServer _upstream = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _upstream = await HttpTestServer.StartAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task EnsureAsync_PinnedModuleCachedButUrlServesOtherBytes_IsDigestMismatch()
    {
        var pinned = WasmModuleBuilder.Build(seed: 80);
        var other = WasmModuleBuilder.Build(seed: 81);
        _upstream.Serve("/other.wasm", other);
        await using var host = SourcesHost.Create(_dir.Path);
        await host.Cache.StoreAsync(new MemoryStream(pinned), "already cached", cancellationToken: Ct);
        var request = WasmSourceRequest.ForObject(_upstream.Url("/other.wasm"), Digest.ComputeSha256(pinned));

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => host.Provider.EnsureAsync(request, Ct));

        Assert.Equal(Digest.ComputeSha256(pinned), error.Expected);
        Assert.Equal(Digest.ComputeSha256(other), error.Actual);
        Assert.Equal(1, _upstream.Hits("/other.wasm"));
        Assert.False(File.Exists(Path.Combine(host.ModulesDirectory, Digest.ComputeSha256(other).Hex)));
    }

    [Fact]
    public async Task EnsureAsync_PinnedModuleCachedAndUrlServesIt_ChecksTheUrlOncePerSource()
    {
        var module = WasmModuleBuilder.Build(seed: 82);
        _upstream.Serve("/m.wasm", module);
        _upstream.Serve("/moved.wasm", module);
        await using var host = SourcesHost.Create(_dir.Path);
        await host.Cache.StoreAsync(new MemoryStream(module), "already cached", cancellationToken: Ct);
        var pin = Digest.ComputeSha256(module);

        var first = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/m.wasm"), pin), Ct);
        var again = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/m.wasm"), pin), Ct);
        var changed = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/moved.wasm"), pin), Ct);

        Assert.True(first.Downloaded);
        Assert.False(again.Downloaded);
        Assert.True(changed.Downloaded);
        Assert.Equal(pin, changed.Sha256);
        Assert.Equal(1, _upstream.Hits("/m.wasm"));
        Assert.Equal(1, _upstream.Hits("/moved.wasm"));
    }

    [Fact]
    public async Task FillAndReconcile_SameModuleAtOnce_FetchOnce()
    {
        var registry = new FakeRegistrySource { PullGate = new TaskCompletionSource() };
        var module = WasmModuleBuilder.Build(padding: 50_000, seed: 83);
        var manifest = registry.Push("team/filter:v1", module);
        var sha256 = Digest.ComputeSha256(module);
        var resolver = new FixedResolver(WasmSourceRequest.ForRegistry(ImageReference.Parse("registry.example.com/team/filter").WithDigest(manifest), default, sha256));
        await using var host = SourcesHost.Create(_dir.Path, resolver: resolver, services: s => s.AddSingleton<IRegistryModuleSource>(registry));

        var fill = host.Provider.FindAsync(sha256, Ct).AsTask();
        var reconcile = host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(ImageReference.Parse("registry.example.com/team/filter:v1")), Ct);
        await registry.WaitForPullsAsync(1, Ct);
        await Task.Delay(200, Ct);
        registry.PullGate.SetResult();
        var filled = await fill;
        var reconciled = await reconcile;

        Assert.Equal(1, registry.Pulls);
        Assert.Equal(sha256, filled!.Sha256);
        Assert.Equal(sha256, reconciled.Sha256);
        Assert.Equal(manifest, reconciled.ManifestDigest);
    }

    [Fact]
    public async Task Scrub_FileCorruptedInPlace_IsDeletedAndCounted()
    {
        await using var host = SourcesHost.Create(_dir.Path);
        using var metrics = new MetricRecorder(host.MeterFactory);
        var cache = host.Services.GetRequiredService<WasmModuleCache>();
        var intact = await cache.StoreAsync(new MemoryStream(WasmModuleBuilder.Build(seed: 84)), "intact", cancellationToken: Ct);
        var module = WasmModuleBuilder.Build(seed: 85);
        var damaged = await cache.StoreAsync(new MemoryStream(module), "damaged", cancellationToken: Ct);
        var modified = File.GetLastWriteTimeUtc(damaged.Path);
        await using (var file = new FileStream(damaged.Path, FileMode.Open, FileAccess.Write))
        {
            file.Position = module.Length - 1;
            file.WriteByte((byte)(module[^1] ^ 1));
        }

        File.SetLastWriteTimeUtc(damaged.Path, modified);

        var (verified, corrupt) = await cache.VerifyAllAsync(all: true, Ct);

        Assert.Equal((1, 1), (verified, corrupt));
        Assert.False(File.Exists(damaged.Path));
        Assert.True(File.Exists(intact.Path));
        Assert.False(host.Cache.Contains(damaged.Sha256));
        Assert.Equal(1, metrics.Sum("wasmmesh.sources.cache.corruptions"));
    }

    [Fact]
    public async Task Scrubber_OnItsInterval_RehashesEveryFile()
    {
        var time = new FakeTimeProvider();
        await using var host = SourcesHost.Create(_dir.Path, builder => builder.ConfigureCache(o => o.ScrubInterval = TimeSpan.FromMinutes(5)), time);
        var cache = host.Services.GetRequiredService<WasmModuleCache>();
        var module = WasmModuleBuilder.Build(seed: 86);
        var stored = await cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: Ct);
        var scrubber = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<CacheScrubber>().Single();
        await scrubber.StartAsync(Ct);
        try
        {
            var modified = File.GetLastWriteTimeUtc(stored.Path);
            await File.WriteAllBytesAsync(stored.Path, [.. module[..^1], (byte)(module[^1] ^ 1)], Ct);
            File.SetLastWriteTimeUtc(stored.Path, modified);
            Assert.True(File.Exists(stored.Path));

            for (var i = 0; i < 200 && File.Exists(stored.Path); i++)
            {
                time.Advance(TimeSpan.FromMinutes(5));
                await Task.Delay(25, Ct);
            }

            Assert.False(File.Exists(stored.Path));
        }
        finally
        {
            await scrubber.StopAsync(CancellationToken.None);
        }
    }

    private sealed class FixedResolver(WasmSourceRequest request) : IWasmDigestResolver
    {
        public ValueTask<WasmSourceRequest?> ResolveAsync(Digest sha256, CancellationToken cancellationToken = default) => ValueTask.FromResult<WasmSourceRequest?>(request);
    }
}
