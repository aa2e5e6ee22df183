using System.Net;
using Microsoft.AspNetCore.Http;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.Sources.Tests;

public sealed class ObjectSourceTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("wasmmesh-sources");
    private HttpTestServer _upstream = null!;

    public async ValueTask InitializeAsync() => _upstream = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task EnsureAsync_ObjectUrl_FetchesVerifiesAndStoresContentAddressed()
    {
        var module = WasmModuleBuilder.Build(seed: 1);
        _upstream.Serve("/filters/add-header.wasm", module);
        await using var host = SourcesHost.Create(_dir.Path);

        var result = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/filters/add-header.wasm")), TestContext.Current.CancellationToken);

        var expected = Digest.ComputeSha256(module);
        Assert.Equal(expected, result.Sha256);
        Assert.Equal(module.Length, result.Size);
        Assert.Equal(WasmSourceKind.Object, result.SourceKind);
        Assert.Null(result.ManifestDigest);
        Assert.Equal("proxy_abi_version_0_2_0", result.ProxyAbiVersion);
        Assert.True(result.Downloaded);
        Assert.Equal(Path.Combine(host.ModulesDirectory, expected.Hex), result.Path);
        Assert.Equal(module, await File.ReadAllBytesAsync(result.Path, TestContext.Current.CancellationToken));
        Assert.Equal([result.Path], host.ModuleFiles());
    }

    [Fact]
    public async Task EnsureAsync_RealProxyWasmModule_ReportsItsDigestAndAbi()
    {
        var fixture = RepoPaths.Fixture(RepoPaths.AddHeader);
        _upstream.Serve("/add-header.c.wasm", await File.ReadAllBytesAsync(fixture, TestContext.Current.CancellationToken));
        await using var host = SourcesHost.Create(_dir.Path);

        var result = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/add-header.c.wasm")), TestContext.Current.CancellationToken);

        Assert.Equal(RepoPaths.AddHeaderSha256, result.Sha256.Hex);
        Assert.StartsWith("proxy_abi_version_", result.ProxyAbiVersion);
    }

    [Fact]
    public async Task EnsureAsync_PinnedAndCached_DoesNotContactTheSource()
    {
        var module = WasmModuleBuilder.Build(seed: 2);
        _upstream.Serve("/m.wasm", module);
        await using var host = SourcesHost.Create(_dir.Path);
        var request = WasmSourceRequest.ForObject(_upstream.Url("/m.wasm"), Digest.ComputeSha256(module));

        var first = await host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);
        var second = await host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);

        Assert.True(first.Downloaded);
        Assert.False(second.Downloaded);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(1, _upstream.Hits("/m.wasm"));
    }

    [Fact]
    public async Task EnsureAsync_TamperedBytes_ThrowsDigestMismatchAndStoresNothing()
    {
        var genuine = WasmModuleBuilder.Build(seed: 3);
        var tampered = (byte[])genuine.Clone();
        tampered[^1] ^= 0xff;
        _upstream.Serve("/m.wasm", tampered);
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/m.wasm"), Digest.ComputeSha256(genuine)), TestContext.Current.CancellationToken));

        Assert.Equal(Digest.ComputeSha256(genuine), error.Expected);
        Assert.Equal(Digest.ComputeSha256(tampered), error.Actual);
        Assert.Empty(host.ModuleFiles());
        Assert.Null(await host.Cache.TryGetAsync(error.Expected, TestContext.Current.CancellationToken));
        Assert.Null(await host.Cache.TryGetAsync(error.Actual, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EnsureAsync_BytesAreNotWasm_ThrowsInvalidWasmModuleAndStoresNothing()
    {
        _upstream.Serve("/index.html", "<html>not a module</html>"u8.ToArray());
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<InvalidWasmModuleException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/index.html")), TestContext.Current.CancellationToken));

        Assert.Contains("magic", error.Reason);
        Assert.Empty(host.ModuleFiles());
    }

    [Fact]
    public async Task EnsureAsync_ModuleWithoutProxyAbi_IsReportedByDefaultAndRefusedWhenRequired()
    {
        var plain = WasmModuleBuilder.Build(["add", "memory_grow"], seed: 4);
        _upstream.Serve("/plain.wasm", plain);
        var request = WasmSourceRequest.ForObject(_upstream.Url("/plain.wasm"));

        await using (var lenient = SourcesHost.Create(_dir.Combine("lenient")))
        {
            var result = await lenient.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);
            Assert.Null(result.ProxyAbiVersion);
        }

        await using var strict = SourcesHost.Create(_dir.Combine("strict"), b => b.ConfigureSources(o => o.RequireProxyWasmAbi = true));
        var error = await Assert.ThrowsAsync<InvalidWasmModuleException>(() => strict.Provider.EnsureAsync(request, TestContext.Current.CancellationToken));
        Assert.Contains("proxy_abi_version_", error.Reason);
        Assert.Empty(strict.ModuleFiles());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnsureAsync_ModuleOverSizeLimit_ThrowsSizeLimitExceeded(bool chunked)
    {
        var big = WasmModuleBuilder.Build(padding: 64 * 1024, seed: 5);
        _upstream.Serve("/big.wasm", big, chunked: chunked);
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureSources(o =>
        {
            o.MaxModuleSize = 16 * 1024;
            o.MaxModuleSizeRemedy = "raise --Host:Limit";
        }));

        var error = await Assert.ThrowsAsync<SizeLimitExceededException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/big.wasm")), TestContext.Current.CancellationToken));

        Assert.Equal(16 * 1024, error.Limit);
        Assert.EndsWith("over the limit of 16384 bytes; raise --Host:Limit".Replace("is " + big.Length + " bytes, ", string.Empty, StringComparison.Ordinal), error.Message.Replace("exceeds the limit", "over the limit", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(chunked ? null : big.Length, error.DeclaredSize);
        Assert.Empty(host.ModuleFiles());
    }

    [Fact]
    public async Task EnsureAsync_NotFound_ThrowsPermanentSourceErrorWithoutQueryString()
    {
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/missing.wasm?X-Amz-Signature=s3cr3t")), TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Equal(WasmSourceKind.Object, error.Kind);
        Assert.Contains("/missing.wasm", error.Message);
        Assert.DoesNotContain("s3cr3t", error.Message);
    }

    [Fact]
    public async Task EnsureAsync_ServerError_ThrowsTransientSourceError()
    {
        _upstream.Map("/flaky.wasm", context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/flaky.wasm")), TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task EnsureAsync_UpstreamNeverAnswers_TimesOutWithTransientError()
    {
        _upstream.Map("/slow.wasm", context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureSources(o => o.Timeout = TimeSpan.FromMilliseconds(300)));

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/slow.wasm")), TestContext.Current.CancellationToken));

        Assert.True(error.IsTransient);
        Assert.Contains("Timeout", error.Message);
    }

    [Fact]
    public async Task EnsureAsync_UpstreamAcceptsAndNeverAnswers_FailsAtTheResponseHeaderTimeoutNotTheFetchTimeout()
    {
        _upstream.Map("/silent.wasm", context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureSources(o => o.ResponseHeaderTimeout = TimeSpan.FromMilliseconds(300)));

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/silent.wasm")), TestContext.Current.CancellationToken));

        Assert.True(error.IsTransient);
        Assert.Contains("no response headers within 0.3s (the ResponseHeaderTimeout option)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_BodyStalls_FailsAtTheIdleReadTimeout_ButASlowSteadyBodyCompletes()
    {
        var module = WasmModuleBuilder.Build(padding: 4096, seed: 7);
        _upstream.Map("/stalls.wasm", async context =>
        {
            context.Response.ContentLength = module.Length;
            await context.Response.Body.WriteAsync(module.AsMemory(0, 1024), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        _upstream.Map("/steady.wasm", async context =>
        {
            context.Response.ContentLength = module.Length;
            var chunk = (module.Length / 6) + 1;
            for (var offset = 0; offset < module.Length; offset += chunk)
            {
                await context.Response.Body.WriteAsync(module.AsMemory(offset, Math.Min(chunk, module.Length - offset)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(400, context.RequestAborted);
            }
        });
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureSources(o => o.IdleReadTimeout = TimeSpan.FromSeconds(2)));

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/stalls.wasm")), TestContext.Current.CancellationToken));
        var steady = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/steady.wasm")), TestContext.Current.CancellationToken);

        Assert.True(error.IsTransient);
        Assert.Contains("no data received for 2s while downloading (the IdleReadTimeout option)", error.Message, StringComparison.Ordinal);
        Assert.Equal(Digest.ComputeSha256(module), steady.Sha256);
    }

    [Fact]
    public async Task EnsureAsync_UpstreamStallsMidBody_TimesOutAndLeavesNoPartialFile()
    {
        var module = WasmModuleBuilder.Build(padding: 4096, seed: 6);
        _upstream.Map("/stall.wasm", async context =>
        {
            context.Response.ContentLength = module.Length;
            await context.Response.Body.WriteAsync(module.AsMemory(0, 1024), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureSources(o => o.Timeout = TimeSpan.FromMilliseconds(500)));

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/stall.wasm")), TestContext.Current.CancellationToken));

        Assert.True(error.IsTransient);
        Assert.Empty(host.ModuleFiles());
    }

    [Fact]
    public async Task EnsureAsync_NothingListening_ThrowsTransientConnectionError()
    {
        var deadPort = FreePort.Next();
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(new Uri($"http://127.0.0.1:{deadPort}/m.wasm")), TestContext.Current.CancellationToken));

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Contains("ConnectionRefused", error.Message);
    }

    [Fact]
    public async Task EnsureAsync_RedirectsWithinLimit_AreFollowed()
    {
        var module = WasmModuleBuilder.Build(seed: 7);
        _upstream.Redirect("/a", "/b", StatusCodes.Status301MovedPermanently);
        _upstream.Redirect("/b", _upstream.Url("/c").ToString(), StatusCodes.Status307TemporaryRedirect);
        _upstream.Redirect("/c", "final.wasm", StatusCodes.Status308PermanentRedirect);
        _upstream.Serve("/final.wasm", module);
        await using var host = SourcesHost.Create(_dir.Path);

        var result = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/a")), TestContext.Current.CancellationToken);

        Assert.Equal(Digest.ComputeSha256(module), result.Sha256);
    }

    [Fact]
    public async Task EnsureAsync_MoreThanFiveRedirects_Fails()
    {
        for (var i = 0; i < 6; i++)
        {
            _upstream.Redirect($"/r{i}", $"/r{i + 1}");
        }

        _upstream.Serve("/r6", WasmModuleBuilder.Build(seed: 8));
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/r0")), TestContext.Current.CancellationToken));

        Assert.Contains("more than 5 redirects", error.Message);
        Assert.Equal(0, _upstream.Hits("/r6"));
    }

    [Fact]
    public async Task EnsureAsync_RedirectToAnotherScheme_IsRefused()
    {
        _upstream.Redirect("/ftp", "ftp://files.example.com/m.wasm");
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<SsrfBlockedException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/ftp")), TestContext.Current.CancellationToken));

        Assert.Contains("ftp", error.Reason);
    }

    [Fact]
    public async Task EnsureAsync_TwoHundredConcurrentCallsForOneSource_FetchOnce()
    {
        var module = WasmModuleBuilder.Build(padding: 32 * 1024, seed: 9);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.Serve("/popular.wasm", module, gate.Task);
        await using var host = SourcesHost.Create(_dir.Path);
        var request = WasmSourceRequest.ForObject(_upstream.Url("/popular.wasm"));

        var calls = Enumerable.Range(0, 200).Select(_ => host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken)).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, _upstream.Hits("/popular.wasm"));
        Assert.All(results, r => Assert.Equal(Digest.ComputeSha256(module), r.Sha256));
        Assert.Single(host.ModuleFiles());
    }

    [Fact]
    public async Task EnsureAsync_FailedFetch_IsSharedByWaitersAndRetriedByTheNextCall()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fail = true;
        var module = WasmModuleBuilder.Build(seed: 10);
        _upstream.Map("/once.wasm", async context =>
        {
            await gate.Task.WaitAsync(context.RequestAborted);
            if (fail)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            }

            await context.Response.Body.WriteAsync(module, context.RequestAborted);
        });
        await using var host = SourcesHost.Create(_dir.Path);
        var request = WasmSourceRequest.ForObject(_upstream.Url("/once.wasm"));

        var calls = Enumerable.Range(0, 20).Select(_ => host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken)).ToList();
        gate.SetResult();
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<WasmSourceException>(() => call);
        }

        fail = false;
        var result = await host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(2, _upstream.Hits("/once.wasm"));
        Assert.Equal(Digest.ComputeSha256(module), result.Sha256);
    }

    [Fact]
    public async Task EnsureAsync_CallerCancels_SharedFetchCompletesForOthers()
    {
        var module = WasmModuleBuilder.Build(seed: 11);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.Serve("/shared.wasm", module, gate.Task);
        await using var host = SourcesHost.Create(_dir.Path);
        var request = WasmSourceRequest.ForObject(_upstream.Url("/shared.wasm"));
        using var impatient = new CancellationTokenSource();

        var cancelled = host.Provider.EnsureAsync(request, impatient.Token);
        var patient = host.Provider.EnsureAsync(request, TestContext.Current.CancellationToken);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.SetResult();

        Assert.Equal(Digest.ComputeSha256(module), (await patient).Sha256);
        Assert.Equal(1, _upstream.Hits("/shared.wasm"));
    }
}
