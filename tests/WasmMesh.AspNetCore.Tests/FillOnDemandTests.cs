using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using WasmMesh.AspNetCore.Tests.Infrastructure;
using WasmMesh.Sources;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.AspNetCore.Tests;

/// <summary>A replica that has not fetched a module fills its cache through the resolver, once, then serves it.</summary>
public sealed class FillOnDemandTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("wasmmesh-fill");
    private HttpTestServer _upstream = null!;

    public async ValueTask InitializeAsync() => _upstream = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Get_TwoHundredConcurrentRequestsForAnUncachedDigest_FetchUpstreamExactlyOnce()
    {
        var module = WasmModuleBuilder.Build(padding: 100_000, seed: 1);
        var digest = Digest.ComputeSha256(module);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.Serve("/m.wasm", module, gate.Task);
        var resolver = new CountingResolver(digest, WasmSourceRequest.ForObject(_upstream.Url("/m.wasm")), releaseAfter: 200, gate);
        await using var host = await ServingHost.StartAsync(_dir.Path, resolver);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
        using var client = new HttpClient(handler) { BaseAddress = host.BaseUri, Timeout = TimeSpan.FromSeconds(30) };

        var requests = Enumerable.Range(0, 200).Select(_ => client.GetByteArrayAsync($"/wasm/{digest.Hex}", TestContext.Current.CancellationToken)).ToList();
        var bodies = await Task.WhenAll(requests);

        Assert.Equal(1, _upstream.Hits("/m.wasm"));
        Assert.All(bodies, body => Assert.Equal(module, body));
    }

    [Fact]
    public async Task Get_UncachedDigestAfterFill_IsServedFromCacheWithoutAskingAgain()
    {
        var module = WasmModuleBuilder.Build(seed: 2);
        var digest = Digest.ComputeSha256(module);
        _upstream.Serve("/m.wasm", module);
        var resolver = new CountingResolver(digest, WasmSourceRequest.ForObject(_upstream.Url("/m.wasm")));
        await using var host = await ServingHost.StartAsync(_dir.Path, resolver);

        var first = await host.Client.GetByteArrayAsync($"/wasm/{digest.Hex}", TestContext.Current.CancellationToken);
        var second = await host.Client.GetByteArrayAsync($"/wasm/{digest.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(module, first);
        Assert.Equal(module, second);
        Assert.Equal(1, resolver.Calls);
        Assert.Equal(1, _upstream.Hits("/m.wasm"));
    }

    [Fact]
    public async Task Get_ResolverDoesNotKnowTheDigest_Returns404()
    {
        var resolver = new CountingResolver(Digest.ComputeSha256("known"u8), WasmSourceRequest.ForObject(_upstream.Url("/m.wasm")));
        await using var host = await ServingHost.StartAsync(_dir.Path, resolver);

        using var response = await host.Client.GetAsync($"/wasm/{new string('c', 64)}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, resolver.Calls);
    }

    [Fact]
    public async Task Get_SourceServesOtherBytesThanTheDigest_Returns404AndCachesNothing()
    {
        var wanted = Digest.ComputeSha256(WasmModuleBuilder.Build(seed: 3));
        _upstream.Serve("/changed.wasm", WasmModuleBuilder.Build(seed: 4));
        var resolver = new CountingResolver(wanted, WasmSourceRequest.ForObject(_upstream.Url("/changed.wasm")));
        await using var host = await ServingHost.StartAsync(_dir.Path, resolver);

        using var response = await host.Client.GetAsync($"/wasm/{wanted.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, host.Cache.Count);
    }

    [Fact]
    public async Task Get_SourceDown_Returns502()
    {
        var wanted = Digest.ComputeSha256(WasmModuleBuilder.Build(seed: 5));
        _upstream.Map("/down.wasm", context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        var resolver = new CountingResolver(wanted, WasmSourceRequest.ForObject(_upstream.Url("/down.wasm?token=s3cr3t")));
        await using var host = await ServingHost.StartAsync(_dir.Path, resolver);

        using var response = await host.Client.GetAsync($"/wasm/{wanted.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.DoesNotContain("s3cr3t", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_FillOnDemandOff_Returns404WithoutAskingTheResolver()
    {
        var module = WasmModuleBuilder.Build(seed: 6);
        var digest = Digest.ComputeSha256(module);
        _upstream.Serve("/m.wasm", module);
        var resolver = new CountingResolver(digest, WasmSourceRequest.ForObject(_upstream.Url("/m.wasm")));
        await using var host = await ServingHost.StartAsync(_dir.Path, resolver, o => o.FillOnDemand = false);

        using var response = await host.Client.GetAsync($"/wasm/{digest.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, resolver.Calls);
    }

    [Fact]
    public async Task Get_CorruptedFileAfterRestart_IsRefetchedAndOnlyTheVerifiedBytesAreServed()
    {
        var module = WasmModuleBuilder.Build(padding: 20_000, seed: 7);
        var digest = Digest.ComputeSha256(module);
        _upstream.Serve("/m.wasm", module);
        var resolver = new CountingResolver(digest, WasmSourceRequest.ForObject(_upstream.Url("/m.wasm")));
        string path;
        await using (var before = await ServingHost.StartAsync(_dir.Path, resolver))
        {
            path = (await before.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken)).Path;
        }

        var corrupt = (byte[])module.Clone();
        corrupt[corrupt.Length / 2] ^= 0x55;
        await File.WriteAllBytesAsync(path, corrupt, TestContext.Current.CancellationToken);

        await using var after = await ServingHost.StartAsync(_dir.Path, resolver);
        var body = await after.Client.GetByteArrayAsync($"/wasm/{digest.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(module, body);
        Assert.Equal(1, _upstream.Hits("/m.wasm"));
        Assert.Equal(module, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_CorruptedFileAfterRestartWithoutResolver_Returns404()
    {
        var module = WasmModuleBuilder.Build(seed: 8);
        string path;
        Digest digest;
        await using (var before = await ServingHost.StartAsync(_dir.Path))
        {
            var stored = await before.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken);
            (path, digest) = (stored.Path, stored.Sha256);
        }

        await File.WriteAllBytesAsync(path, module[..^1], TestContext.Current.CancellationToken);

        await using var after = await ServingHost.StartAsync(_dir.Path);
        using var response = await after.Client.GetAsync($"/wasm/{digest.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Get_ResolverThrows_Returns502()
    {
        await using var host = await ServingHost.StartAsync(_dir.Path, new ThrowingResolver());

        using var response = await host.Client.GetAsync($"/wasm/{new string('d', 64)}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    private sealed class ThrowingResolver : IWasmDigestResolver
    {
        public ValueTask<WasmSourceRequest?> ResolveAsync(Digest sha256, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the resource cache is not synced yet");
    }

    private sealed class CountingResolver(Digest digest, WasmSourceRequest request, int releaseAfter = 0, TaskCompletionSource? gate = null) : IWasmDigestResolver
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<WasmSourceRequest?> ResolveAsync(Digest sha256, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == releaseAfter)
            {
                gate?.TrySetResult();
            }

            return ValueTask.FromResult(sha256 == digest ? request : null);
        }
    }
}
