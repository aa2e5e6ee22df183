using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.Sources.Tests;

public sealed class OptionsAndStartupTests : IDisposable
{
    private readonly TempDirectory _dir = new("wasmmesh-options");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        var cache = new WasmCacheOptions();
        var sources = new WasmSourceOptions();
        var guard = new SsrfGuardOptions();

        Assert.Equal(1L << 30, cache.SizeBudgetBytes);
        Assert.False(cache.VerifyOnStartup);
        Assert.Equal(256L << 20, sources.MaxModuleSize);
        Assert.Equal(5, sources.MaxRedirects);
        Assert.False(sources.RequireProxyWasmAbi);
        Assert.True(guard.BlockLoopback);
        Assert.True(guard.BlockLinkLocal);
        Assert.False(guard.BlockPrivate);
        Assert.Empty(guard.AllowList);
    }

    [Fact]
    public async Task Options_InvalidCacheAndSourceValues_FailValidationWithTheirNames()
    {
        await using var host = SourcesHost.Create(_dir.Path, b => b
            .ConfigureCache(o => o.SizeBudgetBytes = 0)
            .ConfigureSources(o =>
            {
                o.MaxModuleSize = -1;
                o.MaxRedirects = 50;
                o.Timeout = TimeSpan.Zero;
            }));

        var cache = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WasmCacheOptions>>().Value);
        var sources = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WasmSourceOptions>>().Value);

        Assert.Contains("SizeBudgetBytes", cache.Message);
        Assert.Contains("MaxModuleSize", sources.Message);
        Assert.Contains("MaxRedirects", sources.Message);
        Assert.Contains("Timeout", sources.Message);
    }

    [Fact]
    public async Task VerifyOnStartup_HashesEveryFileInTheBackgroundAndDeletesCorruptOnes()
    {
        var good = WasmModuleBuilder.Build(seed: 1);
        var bad = WasmModuleBuilder.Build(seed: 2);
        string badPath;
        Digest goodDigest;
        await using (var first = SourcesHost.Create(_dir.Path))
        {
            goodDigest = (await first.Cache.StoreAsync(new MemoryStream(good), "good", cancellationToken: TestContext.Current.CancellationToken)).Sha256;
            badPath = (await first.Cache.StoreAsync(new MemoryStream(bad), "bad", cancellationToken: TestContext.Current.CancellationToken)).Path;
        }

        await File.WriteAllBytesAsync(badPath, good, TestContext.Current.CancellationToken);
        await using var second = SourcesHost.Create(_dir.Path, b => b.ConfigureCache(o =>
        {
            o.VerifyOnStartup = true;
            o.ScrubInterval = TimeSpan.Zero;
        }));
        var verifier = second.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single();

        await verifier.StartAsync(TestContext.Current.CancellationToken);
        await verifier.ExecuteTask!;

        Assert.False(File.Exists(badPath));
        Assert.Equal(1, second.Cache.Count);
        Assert.True(second.Cache.Contains(goodDigest));
    }

    [Fact]
    public async Task AddWasmMeshSources_CalledTwice_RegistersOneCache()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddWasmMeshSources(o => o.Directory = _dir.Path);
        services.AddWasmMeshSources();
        await using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IWasmModuleCache));
        Assert.Same(provider.GetRequiredService<IWasmModuleCache>(), provider.GetRequiredService<IWasmCacheRetention>());
    }

    [Theory]
    [InlineData("169.254.169.254/team/filter:v1")]
    [InlineData("127.0.0.1:5000/team/filter:v1")]
    public async Task EnsureAsync_RegistryOnBlockedAddress_IsRefusedBeforeConnecting(string image)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddWasmMeshSources(o => o.Directory = _dir.Path).ConfigureSources(o => o.ConnectTimeout = TimeSpan.FromSeconds(2));
        await using var provider = services.BuildServiceProvider();
        var modules = provider.GetRequiredService<IWasmModuleProvider>();

        var e = await Assert.ThrowsAnyAsync<WasmMeshException>(() => modules.EnsureAsync(WasmSourceRequest.ForRegistry(ImageReference.Parse(image)), TestContext.Current.CancellationToken));

        var chain = new List<Exception>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            chain.Add(x);
        }

        Assert.Contains(chain, x => x is SsrfBlockedException);
    }
}
