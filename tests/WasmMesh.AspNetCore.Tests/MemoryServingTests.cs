using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.AspNetCore.Tests.Infrastructure;
using WasmMesh.Sources;
using WasmMesh.TestSupport;

namespace WasmMesh.AspNetCore.Tests;

/// <summary>Popular modules are answered from memory; the bytes stay exactly the verified ones and leave with the cache file.</summary>
public sealed class MemoryServingTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("wasmmesh-memory");
    private ServingHost _host = null!;

    private ModuleMemoryCache Memory => _host.Services.GetRequiredService<ModuleMemoryCache>();

    public async ValueTask InitializeAsync() => _host = await ServingHost.StartAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Get_AfterTheModuleIsInMemory_ServesTheSameBytesAndHeaders()
    {
        var module = WasmModuleBuilder.Build(padding: 300_000, seed: 1);
        var stored = await _host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken);

        var fromFile = await _host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);
        await Memory.WhenLoadedAsync(stored.Sha256);
        using var response = await _host.Client.GetAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);
        var fromMemory = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(module.Length, Memory.Bytes);
        Assert.Equal(module, fromFile);
        Assert.Equal(module, fromMemory);
        Assert.Equal(module.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{stored.Sha256.Hex}\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Get_ModuleEvictedFromTheCache_IsNoLongerServedFromMemory()
    {
        var module = WasmModuleBuilder.Build(padding: 1000, seed: 2);
        var stored = await _host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken);
        await _host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);
        await Memory.WhenLoadedAsync(stored.Sha256);
        Assert.Equal(module.Length, Memory.Bytes);

        File.Delete(stored.Path);
        _host.Cache.MarkUnverified(stored.Sha256);
        using var response = await _host.Client.GetAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, Memory.Bytes);
    }

    [Fact]
    public async Task Get_ModuleLargerThanTheMemoryLimit_IsServedFromItsFile()
    {
        await using var host = await ServingHost.StartAsync(_dir.Combine("small"), configure: o => o.MaxMemoryCachedModuleSize = 1000);
        var module = WasmModuleBuilder.Build(padding: 5000, seed: 3);
        var stored = await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken);

        var first = await host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);
        var second = await host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(module, first);
        Assert.Equal(module, second);
        Assert.Equal(0, host.Services.GetRequiredService<ModuleMemoryCache>().Bytes);
    }

    [Fact]
    public async Task TryGet_FileCorruptedBeforeLoading_IsNotLoadedAndMarkedForVerification()
    {
        var module = WasmModuleBuilder.Build(padding: 1000, seed: 4);
        var stored = await _host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken);
        var corrupt = (byte[])module.Clone();
        corrupt[^1] ^= 1;
        await File.WriteAllBytesAsync(stored.Path, corrupt, TestContext.Current.CancellationToken);

        Assert.Null(Memory.TryGet(stored));
        await Memory.WhenLoadedAsync(stored.Sha256);

        Assert.Equal(0, Memory.Bytes);
        Assert.Null(await _host.Cache.TryGetAsync(stored.Sha256, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryGet_OverTheMemoryBudget_LeavesModulesOnDisk()
    {
        await using var host = await ServingHost.StartAsync(_dir.Combine("budget"), configure: o => o.MemoryCacheBytes = 3000);
        var memory = host.Services.GetRequiredService<ModuleMemoryCache>();
        var modules = new List<WasmModuleResult>();
        for (var i = 0; i < 3; i++)
        {
            modules.Add(await host.Cache.StoreAsync(new MemoryStream(WasmModuleBuilder.Build(padding: 1200, seed: 10 + i)), "m", cancellationToken: TestContext.Current.CancellationToken));
        }

        foreach (var module in modules)
        {
            memory.TryGet(module);
            await memory.WhenLoadedAsync(module.Sha256);
        }

        Assert.True(memory.Bytes <= 3000);
        Assert.Equal(2, modules.Count(m => memory.TryGet(m) is not null));
    }
}
