using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.AspNetCore.Tests.Infrastructure;
using WasmMesh.Sources;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.AspNetCore.Tests;

public sealed class WasmModuleEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("wasmmesh-serving");
    private ServingHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServingHost.StartAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Get_CachedModule_ServesExactBytesWithImmutableCachingHeaders()
    {
        var module = WasmModuleBuilder.Build(padding: 10_000, seed: 1);
        var stored = await StoreAsync(module);

        using var response = await _host.Client.GetAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(module, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/wasm", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(module.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{stored.Sha256.Hex}\"", response.Headers.ETag?.Tag);
        Assert.False(response.Headers.ETag?.IsWeak);
        Assert.Equal("public, max-age=31536000, immutable", string.Join(", ", response.Headers.GetValues("Cache-Control")));
        Assert.Equal(["bytes"], response.Headers.AcceptRanges);
    }

    [Fact]
    public async Task Get_RealProxyWasmModule_BodyHashesToTheRequestedDigest()
    {
        var module = await File.ReadAllBytesAsync(RepoPaths.Fixture(RepoPaths.AddConfiguredHeader), TestContext.Current.CancellationToken);
        await StoreAsync(module);

        var body = await _host.Client.GetByteArrayAsync($"/wasm/{RepoPaths.AddConfiguredHeaderSha256}", TestContext.Current.CancellationToken);

        Assert.Equal(RepoPaths.AddConfiguredHeaderSha256, Digest.ComputeSha256(body).Hex);
    }

    [Fact]
    public async Task Get_LargeModule_IsStreamedCompletely()
    {
        var file = _dir.Combine("large.wasm");
        WasmModuleBuilder.WriteLargeModule(file, 3 * 1024 * 1024 + 17);
        WasmModuleResult stored;
        await using (var stream = File.OpenRead(file))
        {
            stored = await _host.Cache.StoreAsync(stream, "large", cancellationToken: TestContext.Current.CancellationToken);
        }

        using var response = await _host.Client.GetAsync($"/wasm/{stored.Sha256.Hex}", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);

        Assert.Equal(stored.Sha256, await Digest.ComputeSha256Async(body, TestContext.Current.CancellationToken));
        Assert.Equal(3 * 1024 * 1024 + 17, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Head_CachedModule_SendsHeadersWithoutBody()
    {
        var module = WasmModuleBuilder.Build(seed: 2);
        var stored = await StoreAsync(module);

        using var request = new HttpRequestMessage(HttpMethod.Head, $"/wasm/{stored.Sha256.Hex}");
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(module.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{stored.Sha256.Hex}\"", response.Headers.ETag?.Tag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("\"{0}\"")]
    [InlineData("W/\"{0}\"")]
    [InlineData("\"other\", \"{0}\"")]
    [InlineData("*")]
    public async Task Get_IfNoneMatchMatches_Returns304WithoutBody(string ifNoneMatch)
    {
        var stored = await StoreAsync(WasmModuleBuilder.Build(seed: 3));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/wasm/{stored.Sha256.Hex}");
        request.Headers.TryAddWithoutValidation("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, ifNoneMatch, stored.Sha256.Hex));
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal($"\"{stored.Sha256.Hex}\"", response.Headers.ETag?.Tag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_IfNoneMatchDiffers_ReturnsTheModule()
    {
        var module = WasmModuleBuilder.Build(seed: 4);
        var stored = await StoreAsync(module);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/wasm/{stored.Sha256.Hex}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{new string('0', 64)}\""));
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(module, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_Range_ReturnsPartialContent()
    {
        var module = WasmModuleBuilder.Build(padding: 5000, seed: 5);
        var stored = await StoreAsync(module);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/wasm/{stored.Sha256.Hex}");
        request.Headers.Range = new RangeHeaderValue(0, 7);
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(module[..8], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal($"bytes 0-7/{module.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("application/wasm", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", string.Join(", ", response.Headers.GetValues("Cache-Control")));
    }

    [Fact]
    public async Task Get_SuffixRange_ReturnsTheTail()
    {
        var module = WasmModuleBuilder.Build(padding: 5000, seed: 6);
        var stored = await StoreAsync(module);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/wasm/{stored.Sha256.Hex}");
        request.Headers.Range = new RangeHeaderValue(null, 100);
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(module[^100..], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_UnsatisfiableRange_Returns416()
    {
        var module = WasmModuleBuilder.Build(seed: 7);
        var stored = await StoreAsync(module);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/wasm/{stored.Sha256.Hex}");
        request.Headers.Range = new RangeHeaderValue(module.Length + 10, module.Length + 20);
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{module.Length}", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Get_IfRangeWithOtherETag_ReturnsTheWholeModule()
    {
        var module = WasmModuleBuilder.Build(padding: 1000, seed: 8);
        var stored = await StoreAsync(module);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/wasm/{stored.Sha256.Hex}");
        request.Headers.Range = new RangeHeaderValue(0, 7);
        request.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"stale\""));
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(module, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("523D11ED924B1A571947B888F51C51F50D8EAF3AB42114930CDFC8826B1C544D")]
    [InlineData("523d11ed924b1a571947b888f51c51f50d8eaf3ab42114930cdfc8826b1c544")]
    [InlineData("523d11ed924b1a571947b888f51c51f50d8eaf3ab42114930cdfc8826b1c544dd")]
    [InlineData("sha256:523d11ed924b1a571947b888f51c51f50d8eaf3ab42114930cdfc8826b1c544d")]
    [InlineData("zz3d11ed924b1a571947b888f51c51f50d8eaf3ab42114930cdfc8826b1c544d")]
    [InlineData("..%2f..%2fetc%2fpasswd")]
    [InlineData("not-a-digest")]
    public async Task Get_MalformedDigest_Returns400(string digest)
    {
        using var response = await _host.Client.GetAsync($"/wasm/{digest}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("64 lowercase hex digits", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_UnknownDigestWithoutResolver_Returns404()
    {
        using var response = await _host.Client.GetAsync($"/wasm/{new string('a', 64)}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_FileNotInTheCacheDirectory_IsNeverServed()
    {
        var outside = WasmModuleBuilder.Build(seed: 9);
        var hex = Digest.ComputeSha256(outside).Hex;
        await File.WriteAllBytesAsync(_dir.Combine(hex), outside, TestContext.Current.CancellationToken);

        using var response = await _host.Client.GetAsync($"/wasm/{hex}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_IsNotAllowed()
    {
        var stored = await StoreAsync(WasmModuleBuilder.Build(seed: 10));

        using var response = await _host.Client.PostAsync($"/wasm/{stored.Sha256.Hex}", new ByteArrayContent([1, 2, 3]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Get_FileDeletedBehindTheCache_Returns404AndForgetsIt()
    {
        var stored = await StoreAsync(WasmModuleBuilder.Build(seed: 11));
        File.Delete(stored.Path);

        using var response = await _host.Client.GetAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(await _host.Cache.TryGetAsync(stored.Sha256, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_FileTruncatedBehindTheCache_AbortsThatResponseThenRefusesToServeIt()
    {
        await using var host = await ServingHost.StartAsync(_dir.Combine("truncated"), configure: o => o.MemoryCacheBytes = 0);
        var module = WasmModuleBuilder.Build(padding: 3 * 1024 * 1024, seed: 13);
        var stored = await host.Cache.StoreAsync(new MemoryStream(module), "m", cancellationToken: TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(stored.Path, module[..1000], TestContext.Current.CancellationToken);

        var first = await Record.ExceptionAsync(() => host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken));
        using var second = await host.Client.GetAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);

        Assert.IsType<HttpRequestException>(first);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.False(File.Exists(stored.Path));
    }

    [Fact]
    public async Task Get_ServedModules_AreCountedInServingMetrics()
    {
        using var metrics = new MetricRecorder(_host.MeterFactory);
        var module = WasmModuleBuilder.Build(padding: 2000, seed: 12);
        var stored = await StoreAsync(module);

        await _host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);
        await _host.Client.GetByteArrayAsync($"/wasm/{stored.Sha256.Hex}", TestContext.Current.CancellationToken);
        using var missing = await _host.Client.GetAsync($"/wasm/{new string('b', 64)}", TestContext.Current.CancellationToken);

        Assert.Equal(2.0 * module.Length, metrics.Sum("wasmmesh.serving.bytes"));
        Assert.Equal(2, metrics.Sum("wasmmesh.serving.requests", "http.response.status_code", 200));
        Assert.Equal(1, metrics.Sum("wasmmesh.serving.requests", "http.response.status_code", 404));
        Assert.Equal(2, metrics.Sum("wasmmesh.sources.cache.hits"));
    }

    [Fact]
    public async Task MapWasmModules_WithoutServingServices_ExplainsWhatToAdd()
    {
        var builder = WebApplication.CreateSlimBuilder();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapWasmModules());

        Assert.Contains("AddWasmMeshServing", error.Message);
    }

    private async Task<WasmModuleResult> StoreAsync(byte[] module) =>
        await _host.Cache.StoreAsync(new MemoryStream(module), "test", cancellationToken: TestContext.Current.CancellationToken);
}
