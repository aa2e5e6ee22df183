using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.AspNetCore.Tests.Infrastructure;
using WasmMesh.Sources;
using WasmMesh.TestSupport;

namespace WasmMesh.AspNetCore.Tests.Protection;

/// <summary>The protected endpoint through a real Kestrel host: referenced digests only, per-namespace tokens, key rotation.</summary>
public sealed class ProtectedServingTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("wasmmesh-protected");
    private readonly References _references = new();
    private ServingHost _host = null!;
    private string _keyFile = null!;

    public async ValueTask InitializeAsync()
    {
        _keyFile = _dir.Combine("token-key");
        await File.WriteAllTextAsync(_keyFile, "first-key-0123456789abcdef0123456789abcdef\n", TestContext.Current.CancellationToken);
        _host = await ServingHost.StartAsync(_dir.Combine("cache"), services: services => services
            .AddSingleton<IWasmModuleReferences>(_references)
            .AddWasmMeshServingProtection(o =>
            {
                o.RequireToken = true;
                o.TokenKeyFile = _keyFile;
                o.PreviousKeyValidity = TimeSpan.FromMinutes(10);
                o.KeyReloadInterval = TimeSpan.FromHours(1);
            }));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task ValidToken_ServesTheModule_BadOrMissingToken404()
    {
        var (module, digest) = await StoreAsync(seed: 1);
        _references.Add(digest, "team-a");
        var tokens = _host.Services.GetRequiredService<ModuleAccessTokens>();
        var token = tokens.CreateToken("team-a", digest);

        Assert.Equal(module, await _host.Client.GetByteArrayAsync($"/wasm/{digest.Hex}/{token}", TestContext.Current.CancellationToken));
        await AssertNotFoundAsync($"/wasm/{digest.Hex}");
        await AssertNotFoundAsync($"/wasm/{digest.Hex}/{tokens.CreateToken("team-b", digest)}");
        await AssertNotFoundAsync($"/wasm/{digest.Hex}/{string.Concat(token[0] == 'A' ? "B" : "A", token.AsSpan(1))}");
        await AssertNotFoundAsync($"/wasm/{digest.Hex}/not-a-token");
    }

    [Fact]
    public async Task CachedButUnreferencedDigest_Is404EvenWithAWellFormedToken()
    {
        var (_, digest) = await StoreAsync(seed: 2);
        var token = _host.Services.GetRequiredService<ModuleAccessTokens>().CreateToken("team-a", digest);

        await AssertNotFoundAsync($"/wasm/{digest.Hex}/{token}");
        var body = await (await _host.Client.GetAsync($"/wasm/{digest.Hex}/{token}", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal($"no module with sha256 {digest.Hex} is known here\n", body);
    }

    [Fact]
    public async Task KeyRotation_PreviousKeysTokensStillServe()
    {
        var (module, digest) = await StoreAsync(seed: 3);
        _references.Add(digest, "team-a");
        var tokens = _host.Services.GetRequiredService<ModuleAccessTokens>();
        var old = tokens.CreateToken("team-a", digest);

        await File.WriteAllTextAsync(_keyFile, "second-key-0123456789abcdef0123456789abcdef\n", TestContext.Current.CancellationToken);
        var reloader = _host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<TokenKeyFileReloader>().Single();
        await reloader.ReloadAsync(_keyFile, TestContext.Current.CancellationToken);
        var fresh = tokens.CreateToken("team-a", digest);

        Assert.NotEqual(old, fresh);
        Assert.Equal(module, await _host.Client.GetByteArrayAsync($"/wasm/{digest.Hex}/{fresh}", TestContext.Current.CancellationToken));
        Assert.Equal(module, await _host.Client.GetByteArrayAsync($"/wasm/{digest.Hex}/{old}", TestContext.Current.CancellationToken));
    }

    private async Task AssertNotFoundAsync(string path)
    {
        using var response = await _host.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<(byte[] Module, Digest Digest)> StoreAsync(int seed)
    {
        var module = WasmModuleBuilder.Build(padding: 100, seed: seed);
        var stored = await _host.Cache.StoreAsync(new MemoryStream(module), "test", cancellationToken: TestContext.Current.CancellationToken);
        return (module, stored.Sha256);
    }

    private sealed class References : IWasmModuleReferences
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Digest, string[]> _map = new();

        public void Add(Digest digest, params string[] namespaces) => _map[digest] = namespaces;

        public IReadOnlyCollection<string> NamespacesReferencing(Digest sha256) => _map.TryGetValue(sha256, out var ns) ? ns : [];
    }
}
