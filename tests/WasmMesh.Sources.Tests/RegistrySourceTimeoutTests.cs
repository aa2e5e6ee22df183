using WasmMesh.Oci;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.Sources.Tests;

/// <summary>
/// The registry source honours the sources' ResponseHeaderTimeout and IdleReadTimeout (1 s here) on every registry
/// request, against a stub registry on 127.0.0.1 that hangs or stalls: the fetch fails long before the fetch Timeout with
/// a transient error naming the registry, the repository and the setting, and leaves nothing in the cache.
/// </summary>
public sealed class RegistrySourceTimeoutTests : IDisposable
{
    private readonly TempDirectory _dir = new("wasmmesh-registry-timeouts");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EnsureAsync_RegistryAcceptsTheManifestRequestAndNeverAnswers_FailsTransientAtTheResponseHeaderTimeout()
    {
        await using var stub = RegistryStub.Start();
        stub.AddHanging("/v2/team/filter/manifests/v1");
        await using var host = Host();

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(ImageReference.Parse($"{stub.Host}/team/filter:v1")), Ct));

        Assert.Equal(WasmSourceKind.Registry, error.Kind);
        Assert.True(error.IsTransient);
        Assert.IsType<RegistryUnreachableException>(error.InnerException);
        Assert.Contains($"cannot reach registry {stub.Host}: no response headers within 1s to ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"http://{stub.Host}/v2/team/filter/manifests/v1 for repository team/filter (the ResponseHeaderTimeout option)", error.Message, StringComparison.Ordinal);
        Assert.Empty(host.ModuleFiles());
    }

    [Fact]
    public async Task EnsureAsync_RegistryStallsMidBlob_FailsTransientAtTheIdleReadTimeoutAndCachesNothing()
    {
        var module = WasmModuleBuilder.Build(padding: 100_000, seed: 41);
        await using var stub = RegistryStub.Start();
        var blob = stub.AddModule("team/filter", "v1", module);
        stub.AddStalling(blob, module, 8192);
        await using var host = Host();

        var error = await Assert.ThrowsAsync<WasmSourceException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(ImageReference.Parse($"{stub.Host}/team/filter:v1")), Ct));

        Assert.True(error.IsTransient);
        Assert.Contains($"no data received for 1s while reading blob {Digest.ComputeSha256(module)} in {stub.Host}/team/filter (the IdleReadTimeout option)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, stub.Count(blob));
        Assert.Empty(host.ModuleFiles());
    }

    [Fact]
    public async Task EnsureAsync_SameRegistryAnswering_FetchesTheModuleWithTheShortTimeouts()
    {
        var module = WasmModuleBuilder.Build(padding: 100_000, seed: 42);
        await using var stub = RegistryStub.Start();
        stub.AddModule("team/filter", "v1", module);
        await using var host = Host();

        var result = await host.Provider.EnsureAsync(WasmSourceRequest.ForRegistry(ImageReference.Parse($"{stub.Host}/team/filter:v1")), Ct);

        Assert.Equal(Digest.ComputeSha256(module), result.Sha256);
    }

    /// <summary>Short source timeouts; the overall fetch Timeout stays far above them, so only they can end the fetch.</summary>
    private SourcesHost Host() => SourcesHost.Create(_dir.Path, b => b.ConfigureSources(o =>
    {
        o.ResponseHeaderTimeout = TimeSpan.FromSeconds(1);
        o.IdleReadTimeout = TimeSpan.FromSeconds(1);
        o.Timeout = TimeSpan.FromMinutes(5);
    }));
}
