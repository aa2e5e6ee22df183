using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.AspNetCore.Tests.Infrastructure;
using WasmMesh.Sources;
using WasmMesh.TestSupport;

namespace WasmMesh.AspNetCore.Tests;

/// <summary>
/// A cached module changed on disk while the server runs is never served: full GETs, ranges and HEADs all come from the
/// verified bytes, whether the module is held in memory or served from its file.
/// </summary>
public sealed class RuntimeCorruptionTests : IDisposable
{
    private const int MemoryLimit = 64 * 1024;
    private readonly TempDirectory _dir = new("wasmmesh-corruption");

    public static TheoryData<string, bool> Cases => new()
    {
        { "GET", false }, { "RANGE", false }, { "HEAD", false },
        { "GET", true }, { "RANGE", true }, { "HEAD", true },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_CacheFileRewrittenInPlace_IsNotServedAndTheFileIsDeleted(string kind, bool aboveMemoryLimit)
    {
        await using var host = await ServingHost.StartAsync(_dir.Combine($"{kind}-{aboveMemoryLimit}"), configure: o => o.MaxMemoryCachedModuleSize = MemoryLimit);
        using var corruptions = new CorruptionCounter(host.MeterFactory);
        var memory = host.Services.GetRequiredService<ModuleMemoryCache>();
        var module = WasmModuleBuilder.Build(padding: aboveMemoryLimit ? 3 * MemoryLimit : MemoryLimit / 4, seed: 40 + kind.Length + (aboveMemoryLimit ? 1 : 0));
        var stored = await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: Ct);
        Assert.Equal(module, await host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", Ct));
        await memory.WhenLoadedAsync(stored.Sha256);
        Assert.Equal(aboveMemoryLimit ? 0 : module.Length, memory.Bytes);

        // Same size, changed in place (as a disk error or a stray writer would): the inode stays, the times change.
        await using (var file = new FileStream(stored.Path, FileMode.Open, FileAccess.Write))
        {
            file.Position = module.Length / 2;
            file.WriteByte((byte)(module[module.Length / 2] ^ 0xff));
        }

        using var request = new HttpRequestMessage(kind == "HEAD" ? HttpMethod.Head : HttpMethod.Get, $"/wasm/{stored.Sha256.Hex}");
        if (kind == "RANGE")
        {
            request.Headers.Range = new RangeHeaderValue(module.Length / 2 - 10, module.Length / 2 + 10);
        }

        using var response = await host.Client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.ETag);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "text/plain", StringComparison.Ordinal);
        Assert.False(File.Exists(stored.Path));
        Assert.Equal(0, memory.Bytes);
        Assert.Equal(1, corruptions.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Range_ModuleIntact_IsAnsweredFromTheVerifiedBytes(bool aboveMemoryLimit)
    {
        await using var host = await ServingHost.StartAsync(_dir.Combine($"range-{aboveMemoryLimit}"), configure: o => o.MaxMemoryCachedModuleSize = MemoryLimit);
        var memory = host.Services.GetRequiredService<ModuleMemoryCache>();
        var module = WasmModuleBuilder.Build(padding: aboveMemoryLimit ? 3 * MemoryLimit : MemoryLimit / 4, seed: 60 + (aboveMemoryLimit ? 1 : 0));
        var stored = await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: Ct);
        await host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", Ct);
        await memory.WhenLoadedAsync(stored.Sha256);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/wasm/{stored.Sha256.Hex}");
        request.Headers.Range = new RangeHeaderValue(100, 1123);
        using var response = await host.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(module.AsSpan(100, 1024).ToArray(), await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal($"\"{stored.Sha256.Hex}\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Get_CacheFileReplacedByAnotherFileWithTheOldTimes_IsNotServed()
    {
        await using var host = await ServingHost.StartAsync(_dir.Combine("replaced"), configure: o => o.MaxMemoryCachedModuleSize = 0);
        var module = WasmModuleBuilder.Build(padding: 5000, seed: 70);
        var stored = await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: Ct);
        Assert.Equal(module, await host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", Ct));
        var modified = File.GetLastWriteTimeUtc(stored.Path);

        // Another file of the same size, renamed over the cache file and touched back to its modification time.
        var other = WasmModuleBuilder.Build(padding: 5000, seed: 71);
        Assert.Equal(module.Length, other.Length);
        var temp = stored.Path + ".other";
        await File.WriteAllBytesAsync(temp, other, Ct);
        File.SetLastWriteTimeUtc(temp, modified);
        File.Move(temp, stored.Path, overwrite: true);

        using var response = await host.Client.GetAsync($"/wasm/{stored.Sha256.Hex}", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(File.Exists(stored.Path));
    }

    /// <summary>Counts <c>wasmmesh.sources.cache.corruptions</c> of one host's meters.</summary>
    private sealed class CorruptionCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public CorruptionCounter(IMeterFactory scope)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name == "wasmmesh.sources.cache.corruptions")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
