using Microsoft.Extensions.Time.Testing;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.Sources.Tests;

public sealed class ModuleCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new("wasmmesh-cache");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task StoreAsync_ValidModule_WritesItAtItsDigestAndLeavesNoTemporaryFile()
    {
        await using var host = SourcesHost.Create(_dir.Path);
        var module = WasmModuleBuilder.Build(seed: 1);

        var stored = await host.Cache.StoreAsync(new MemoryStream(module), "test module", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Digest.ComputeSha256(module), stored.Sha256);
        Assert.Equal(Path.Combine(_dir.Path, "sha256", stored.Sha256.Hex), stored.Path);
        Assert.Equal($"\"{stored.Sha256.Hex}\"", stored.ETag);
        Assert.Equal([stored.Path], host.ModuleFiles());
        Assert.Equal(module.Length, host.Cache.TotalBytes);
        Assert.Equal(1, host.Cache.Count);
    }

    [Fact]
    public async Task TryGetAsync_AfterRestart_VerifiesAndServesIntactFile()
    {
        var module = WasmModuleBuilder.Build(seed: 2);
        Digest digest;
        await using (var first = SourcesHost.Create(_dir.Path))
        {
            digest = (await first.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken)).Sha256;
        }

        await using var second = SourcesHost.Create(_dir.Path);
        var found = await second.Cache.TryGetAsync(digest, TestContext.Current.CancellationToken);

        Assert.NotNull(found);
        Assert.Equal(module.Length, found.Size);
        Assert.Equal("proxy_abi_version_0_2_0", found.ProxyAbiVersion);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("append")]
    [InlineData("empty")]
    public async Task TryGetAsync_CorruptedFileAfterRestart_IsDeletedNotServed(string damage)
    {
        var module = WasmModuleBuilder.Build(padding: 1000, seed: 3);
        Digest digest;
        await using (var first = SourcesHost.Create(_dir.Path))
        {
            digest = (await first.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken)).Sha256;
        }

        var path = Path.Combine(_dir.Path, "sha256", digest.Hex);
        Damage(path, damage);

        await using var second = SourcesHost.Create(_dir.Path);
        using var metrics = new MetricRecorder(second.MeterFactory);
        Assert.Equal(1, second.Cache.Count);

        Assert.Null(await second.Cache.TryGetAsync(digest, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(path));
        Assert.Equal(0, second.Cache.Count);
        Assert.Equal(0, second.Cache.TotalBytes);
        Assert.Equal(1, metrics.Sum("wasmmesh.sources.cache.corruptions"));
    }

    [Fact]
    public async Task EnsureAsync_CorruptedFileAfterRestart_IsRefetched()
    {
        await using var upstream = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);
        var module = WasmModuleBuilder.Build(padding: 2000, seed: 4);
        upstream.Serve("/m.wasm", module);
        var request = WasmSourceRequest.ForObject(upstream.Url("/m.wasm"), Digest.ComputeSha256(module));
        string path;
        await using (var first = SourcesHost.Create(_dir.Path))
        {
            path = (await first.Provider.EnsureAsync(request, TestContext.Current.CancellationToken)).Path;
        }

        Damage(path, "flip");

        await using var second = SourcesHost.Create(_dir.Path);
        var result = await second.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);

        Assert.True(result.Downloaded);
        Assert.Equal(2, upstream.Hits("/m.wasm"));
        Assert.Equal(module, await File.ReadAllBytesAsync(result.Path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task VerifyAsync_FileCorruptedWhileRunning_DetectsItOnDoubt()
    {
        await using var host = SourcesHost.Create(_dir.Path);
        var module = WasmModuleBuilder.Build(seed: 5);
        var stored = await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(await host.Cache.VerifyAsync(stored.Sha256, TestContext.Current.CancellationToken));

        Damage(stored.Path, "flip");
        host.Cache.MarkUnverified(stored.Sha256);

        Assert.Null(await host.Cache.TryGetAsync(stored.Sha256, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(stored.Path));
        Assert.False(await host.Cache.VerifyAsync(stored.Sha256, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryGetAsync_ManyConcurrentFirstUses_AllGetTheVerifiedModule()
    {
        var module = WasmModuleBuilder.Build(padding: 200_000, seed: 6);
        Digest digest;
        await using (var first = SourcesHost.Create(_dir.Path))
        {
            digest = (await first.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken)).Sha256;
        }

        await using var second = SourcesHost.Create(_dir.Path);
        var lookups = Enumerable.Range(0, 200).Select(_ => second.Cache.TryGetAsync(digest, TestContext.Current.CancellationToken).AsTask()).ToList();
        var found = await Task.WhenAll(lookups);

        Assert.All(found, m => Assert.Equal(digest, m?.Sha256));
        Assert.Single(found.Distinct());
    }

    [Fact]
    public async Task Open_LeftoverTemporaryFiles_AreDeletedAndForeignFilesIgnored()
    {
        var modules = Directory.CreateDirectory(Path.Combine(_dir.Path, "sha256")).FullName;
        await File.WriteAllTextAsync(Path.Combine(modules, ".tmp-0123456789abcdef"), "partial", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(modules, "README"), "not a module", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(modules, new string('A', 64)), "uppercase is not a digest", TestContext.Current.CancellationToken);

        await using var host = SourcesHost.Create(_dir.Path);

        Assert.Equal(0, host.Cache.Count);
        Assert.False(File.Exists(Path.Combine(modules, ".tmp-0123456789abcdef")));
        Assert.True(File.Exists(Path.Combine(modules, "README")));
    }

    [Fact]
    public async Task ApplyRetentionAsync_OverBudget_EvictsUnreferencedLeastRecentlyUsedFirst()
    {
        var time = new FakeTimeProvider();
        var modules = Enumerable.Range(0, 5).Select(i => WasmModuleBuilder.Build(padding: 1000, seed: 100 + i)).ToArray();
        var size = modules[0].Length;
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureCache(o => o.SizeBudgetBytes = 3L * size), time);
        using var metrics = new MetricRecorder(host.MeterFactory);
        var digests = new List<Digest>();
        foreach (var module in modules)
        {
            digests.Add((await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken)).Sha256);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        // Nothing is evicted before the set in use is known.
        Assert.Equal(5, host.Cache.Count);

        // Module 1 is used again, so module 2 is now the least recently used unreferenced one after module 0, which is in use.
        Assert.NotNull(await host.Cache.TryGetAsync(digests[1], TestContext.Current.CancellationToken));
        var result = await host.Cache.ApplyRetentionAsync([digests[0]], TestContext.Current.CancellationToken);

        Assert.Equal([digests[2], digests[3]], result.Evicted);
        Assert.Equal(2L * size, result.BytesFreed);
        Assert.Equal(3L * size, result.TotalBytes);
        Assert.False(result.OverBudget);
        Assert.NotNull(await host.Cache.TryGetAsync(digests[0], TestContext.Current.CancellationToken));
        Assert.Null(await host.Cache.TryGetAsync(digests[2], TestContext.Current.CancellationToken));
        Assert.False(File.Exists(Path.Combine(host.ModulesDirectory, digests[2].Hex)));
        Assert.Equal(2, metrics.Sum("wasmmesh.sources.cache.evictions"));
    }

    [Fact]
    public async Task ApplyRetentionAsync_ReferencedModulesAloneOverBudget_KeepsThemAll()
    {
        var modules = Enumerable.Range(0, 4).Select(i => WasmModuleBuilder.Build(padding: 1000, seed: 200 + i)).ToArray();
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureCache(o => o.SizeBudgetBytes = modules[0].Length));
        var digests = new List<Digest>();
        foreach (var module in modules)
        {
            digests.Add((await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken)).Sha256);
        }

        var result = await host.Cache.ApplyRetentionAsync(digests.Take(3).ToList(), TestContext.Current.CancellationToken);

        Assert.Equal([digests[3]], result.Evicted);
        Assert.True(result.OverBudget);
        Assert.Equal(3, host.Cache.Count);
    }

    [Fact]
    public async Task StoreAsync_AfterRetentionIsKnown_EvictsOthersButNeverTheNewModuleOrReferencedOnes()
    {
        var time = new FakeTimeProvider();
        var modules = Enumerable.Range(0, 4).Select(i => WasmModuleBuilder.Build(padding: 1000, seed: 300 + i)).ToArray();
        var size = modules[0].Length;
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureCache(o => o.SizeBudgetBytes = 2L * size), time);
        var a = (await host.Cache.StoreAsync(new MemoryStream(modules[0]), "a", cancellationToken: TestContext.Current.CancellationToken)).Sha256;
        time.Advance(TimeSpan.FromMinutes(1));
        var b = (await host.Cache.StoreAsync(new MemoryStream(modules[1]), "b", cancellationToken: TestContext.Current.CancellationToken)).Sha256;
        time.Advance(TimeSpan.FromMinutes(1));
        await host.Cache.ApplyRetentionAsync([a], TestContext.Current.CancellationToken);

        var c = (await host.Cache.StoreAsync(new MemoryStream(modules[2]), "c", cancellationToken: TestContext.Current.CancellationToken)).Sha256;

        Assert.NotNull(await host.Cache.TryGetAsync(a, TestContext.Current.CancellationToken));
        Assert.Null(await host.Cache.TryGetAsync(b, TestContext.Current.CancellationToken));
        Assert.NotNull(await host.Cache.TryGetAsync(c, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ApplyRetentionAsync_RandomWorkloads_NeverEvictsAReferencedModule()
    {
        var time = new FakeTimeProvider();
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureCache(o => o.SizeBudgetBytes = 20_000), time);
        var random = new Random(42);
        var known = new List<Digest>();
        for (var round = 0; round < 40; round++)
        {
            var module = WasmModuleBuilder.Build(padding: random.Next(100, 6000), seed: 1000 + round);
            known.Add((await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken)).Sha256);
            time.Advance(TimeSpan.FromSeconds(random.Next(1, 100)));
            foreach (var touched in known.OrderBy(_ => random.Next()).Take(3))
            {
                await host.Cache.TryGetAsync(touched, TestContext.Current.CancellationToken);
            }

            var present = known.Where(d => File.Exists(Path.Combine(host.ModulesDirectory, d.Hex))).ToList();
            var inUse = present.Where(_ => random.Next(3) == 0).ToList();
            var result = await host.Cache.ApplyRetentionAsync(inUse, TestContext.Current.CancellationToken);

            Assert.All(inUse, d => Assert.True(File.Exists(Path.Combine(host.ModulesDirectory, d.Hex)), $"round {round}: referenced {d} was evicted"));
            Assert.DoesNotContain(result.Evicted, inUse.Contains);
            Assert.True(result.TotalBytes <= 20_000 || result.OverBudget);
            Assert.Equal(host.ModuleFiles().Sum(f => new FileInfo(f).Length), host.Cache.TotalBytes);
        }
    }

    [Fact]
    public async Task StoreAsync_SameModuleTwice_KeepsOneFileAndCountsItOnce()
    {
        await using var host = SourcesHost.Create(_dir.Path);
        var module = WasmModuleBuilder.Build(seed: 7);

        await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken);
        await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Single(host.ModuleFiles());
        Assert.Equal(module.Length, host.Cache.TotalBytes);
    }

    [Fact]
    public async Task TryGetAsync_HitsAndMisses_AreCounted()
    {
        await using var host = SourcesHost.Create(_dir.Path);
        using var metrics = new MetricRecorder(host.MeterFactory);
        var stored = await host.Cache.StoreAsync(new MemoryStream(WasmModuleBuilder.Build(seed: 8)), "m", cancellationToken: TestContext.Current.CancellationToken);

        await host.Cache.TryGetAsync(stored.Sha256, TestContext.Current.CancellationToken);
        await host.Cache.TryGetAsync(stored.Sha256, TestContext.Current.CancellationToken);
        await host.Cache.TryGetAsync(Digest.ComputeSha256("other"u8), TestContext.Current.CancellationToken);

        Assert.Equal(2, metrics.Sum("wasmmesh.sources.cache.hits"));
        Assert.Equal(1, metrics.Sum("wasmmesh.sources.cache.misses"));
    }

    private static void Damage(string path, string how)
    {
        var bytes = File.ReadAllBytes(path);
        switch (how)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x01;
                File.WriteAllBytes(path, bytes);
                break;
            case "truncate":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "append":
                File.WriteAllBytes(path, [.. bytes, 0x00]);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
        }
    }
}
