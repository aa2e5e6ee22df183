using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WasmMesh.Sources.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.Sources.Tests;

public sealed class SsrfGuardTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("wasmmesh-ssrf");
    private HttpTestServer _upstream = null!;

    public async ValueTask InitializeAsync() => _upstream = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("169.254.169.254", "cloud metadata address")]
    [InlineData("::ffff:169.254.169.254", "cloud metadata address")]
    [InlineData("fd00:ec2::254", "cloud metadata address")]
    [InlineData("100.100.100.200", "cloud metadata address")]
    [InlineData("168.63.129.16", "cloud metadata address")]
    [InlineData("169.254.10.10", "link-local address")]
    [InlineData("fe80::1", "link-local address")]
    [InlineData("127.0.0.1", "loopback address")]
    [InlineData("127.8.9.10", "loopback address")]
    [InlineData("::1", "loopback address")]
    [InlineData("::ffff:127.0.0.1", "loopback address")]
    [InlineData("0.0.0.0", "unspecified address")]
    [InlineData("::", "unspecified address")]
    [InlineData("93.184.216.34", null)]
    [InlineData("10.1.2.3", null)]
    [InlineData("192.168.1.1", null)]
    [InlineData("2606:2800:220:1::1", null)]
    public void Check_DefaultOptions_RefusesLoopbackLinkLocalAndMetadata(string address, string? expected)
    {
        var guard = new SsrfGuard(new SsrfGuardOptions());

        Assert.Equal(expected, guard.Check(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.20.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("fd12:3456::1")]
    public void Check_BlockPrivate_RefusesPrivateRanges(string address)
    {
        var guard = new SsrfGuard(new SsrfGuardOptions { BlockPrivate = true });

        Assert.Equal("private address", guard.Check(IPAddress.Parse(address)));
    }

    [Fact]
    public void Check_AllowListEntry_OverridesEveryBlockIncludingMetadata()
    {
        var options = new SsrfGuardOptions { BlockPrivate = true };
        options.AllowList.Add("169.254.169.254");
        options.AllowList.Add("10.20.0.0/16");
        var guard = new SsrfGuard(options);

        Assert.Null(guard.Check(IPAddress.Parse("169.254.169.254")));
        Assert.Null(guard.Check(IPAddress.Parse("10.20.30.40")));
        Assert.Equal("private address", guard.Check(IPAddress.Parse("10.21.0.1")));
        Assert.Equal("cloud metadata address", guard.Check(IPAddress.Parse("fd00:ec2::254")));
    }

    [Fact]
    public void Check_BlocksDisabled_StillRefusesMetadata()
    {
        var guard = new SsrfGuard(new SsrfGuardOptions { BlockLoopback = false, BlockLinkLocal = false });

        Assert.Null(guard.Check(IPAddress.Loopback));
        Assert.Null(guard.Check(IPAddress.Parse("169.254.1.1")));
        Assert.Equal("cloud metadata address", guard.Check(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public async Task EnsureAsync_MetadataAddressUrl_IsRefusedBeforeConnecting()
    {
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<SsrfBlockedException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(new Uri("http://169.254.169.254/latest/meta-data/iam")), TestContext.Current.CancellationToken));

        Assert.Equal(IPAddress.Parse("169.254.169.254"), error.Address);
        Assert.Equal("cloud metadata address", error.Reason);
    }

    [Theory]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata address")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/", "cloud metadata address")]
    [InlineData("http://[fe80::1]:8080/m.wasm", "link-local address")]
    [InlineData("http://0.0.0.0:9/m.wasm", "unspecified address")]
    [InlineData("http://100.100.100.200/latest/meta-data/", "cloud metadata address")]
    public async Task EnsureAsync_AddressLiteralUrls_AreCheckedToo(string url, string reason)
    {
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<SsrfBlockedException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(new Uri(url)), TestContext.Current.CancellationToken));

        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public async Task EnsureAsync_NameResolvingToLinkLocal_IsRefusedOnTheResolvedAddress()
    {
        var resolved = new List<string>();
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureSsrfGuard(o => o.HostResolver = (name, _) =>
        {
            lock (resolved)
            {
                resolved.Add(name);
            }

            return Task.FromResult(new[] { IPAddress.Parse("169.254.7.7") });
        }));

        var error = await Assert.ThrowsAsync<SsrfBlockedException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(new Uri("http://innocent.example.com/filter.wasm")), TestContext.Current.CancellationToken));

        Assert.Equal("innocent.example.com", error.Host);
        Assert.Equal(IPAddress.Parse("169.254.7.7"), error.Address);
        Assert.Equal("link-local address", error.Reason);
        Assert.Equal(["innocent.example.com"], resolved);
    }

    [Fact]
    public async Task EnsureAsync_NameResolvingToBlockedAndPublicAddresses_ConnectsOnlyToAllowedOnes()
    {
        var module = WasmModuleBuilder.Build(seed: 20);
        _upstream.Serve("/m.wasm", module);
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureSsrfGuard(o =>
            o.HostResolver = (_, _) => Task.FromResult(new[] { IPAddress.Parse("169.254.169.254"), IPAddress.Loopback })));
        var url = new UriBuilder(_upstream.Url("/m.wasm")) { Host = "mixed.example.com" }.Uri;

        var result = await host.Provider.EnsureAsync(WasmSourceRequest.ForObject(url), TestContext.Current.CancellationToken);

        Assert.Equal(Digest.ComputeSha256(module), result.Sha256);
    }

    [Fact]
    public async Task EnsureAsync_RedirectToMetadataAddress_IsRefused()
    {
        _upstream.Redirect("/bounce", "http://169.254.169.254/latest/meta-data/");
        await using var host = SourcesHost.Create(_dir.Path);

        var error = await Assert.ThrowsAsync<SsrfBlockedException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/bounce")), TestContext.Current.CancellationToken));

        Assert.Equal(IPAddress.Parse("169.254.169.254"), error.Address);
        Assert.Equal(1, _upstream.Hits("/bounce"));
    }

    [Fact]
    public async Task EnsureAsync_RedirectToNameResolvingToLinkLocal_IsRefused()
    {
        _upstream.Redirect("/bounce", "http://metadata.internal.example/computeMetadata/v1/");
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureSsrfGuard(o => o.HostResolver = (name, ct) =>
            name == "metadata.internal.example" ? Task.FromResult(new[] { IPAddress.Parse("169.254.1.2") }) : Dns.GetHostAddressesAsync(name, ct)));

        var error = await Assert.ThrowsAsync<SsrfBlockedException>(() =>
            host.Provider.EnsureAsync(WasmSourceRequest.ForObject(_upstream.Url("/bounce")), TestContext.Current.CancellationToken));

        Assert.Equal("link-local address", error.Reason);
        Assert.Equal("metadata.internal.example", error.Host);
    }

    [Fact]
    public async Task EnsureAsync_DefaultGuard_RefusesLoopbackUnlessAllowListed()
    {
        var module = WasmModuleBuilder.Build(seed: 21);
        _upstream.Serve("/m.wasm", module);
        var request = WasmSourceRequest.ForObject(_upstream.Url("/m.wasm"));

        await using (var guarded = SourcesHost.Create(_dir.Combine("guarded"), b => b.ConfigureSsrfGuard(o => o.BlockLoopback = true)))
        {
            var error = await Assert.ThrowsAsync<SsrfBlockedException>(() => guarded.Provider.EnsureAsync(request, TestContext.Current.CancellationToken));
            Assert.Equal("loopback address", error.Reason);
        }

        Assert.Equal(0, _upstream.Hits("/m.wasm"));
        await using var allowed = SourcesHost.Create(_dir.Combine("allowed"), b => b.ConfigureSsrfGuard(o =>
        {
            o.BlockLoopback = true;
            o.AllowList.Add("127.0.0.0/8");
        }));
        Assert.Equal(Digest.ComputeSha256(module), (await allowed.Provider.EnsureAsync(request, TestContext.Current.CancellationToken)).Sha256);
    }

    [Fact]
    public async Task Options_InvalidAllowListEntry_FailsValidation()
    {
        await using var host = SourcesHost.Create(_dir.Path, b => b.ConfigureSsrfGuard(o => o.AllowList.Add("not-a-network")));

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SsrfGuardOptions>>().Value);

        Assert.Contains("not-a-network", error.Message);
    }

    [Fact]
    public void ForObject_NonHttpScheme_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => WasmSourceRequest.ForObject(new Uri("file:///etc/passwd")));

        Assert.Contains("http", error.Message);
    }
}
