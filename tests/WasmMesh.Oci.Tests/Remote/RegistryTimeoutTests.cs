using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.Oci.Tests.Layouts;

namespace WasmMesh.Oci.Tests.Remote;

/// <summary>
/// A registry that accepts a request and never answers it, or answers and stalls mid-body, fails the pull after the
/// response-header or idle-read timeout (1 s here) with an error naming the registry, the repository and the setting —
/// never after the caller's own deadline. Each pull is given a generous bound only so that a regression fails instead
/// of hanging.
/// </summary>
public sealed class RegistryTimeoutTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddWasmMeshOci(Short);
        return services.BuildServiceProvider();
    }

    private static void Short(OciClientOptions options)
    {
        options.ResponseHeaderTimeout = TimeSpan.FromSeconds(1);
        options.IdleReadTimeout = TimeSpan.FromSeconds(1);
    }

    [Fact]
    public async Task PullAsync_ManifestRequestNeverAnswered_FailsWithResponseHeaderTimeoutNamingRegistryAndRepository()
    {
        await using var stub = RegistryStub.Start();
        stub.AddHanging("/v2/team/filter/manifests/v1");
        using var test = new TestClient(Short);

        var error = await Assert.ThrowsAsync<RegistryUnreachableException>(() => test.Client.PullAsync(TestClient.Ref($"{stub.Host}/team/filter:v1"), null, Ct).WaitAsync(Bound, Ct));

        Assert.Equal(stub.Host, error.Registry);
        Assert.Contains($"no response headers within 1s to GET http://{stub.Host}/v2/team/filter/manifests/v1 for repository team/filter (the ResponseHeaderTimeout option)", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"cannot reach registry {stub.Host}: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, stub.Count("/v2/team/filter/manifests/v1"));
    }

    [Fact]
    public async Task ResolveAsync_TagHeadNeverAnswered_FailsWithResponseHeaderTimeout()
    {
        await using var stub = RegistryStub.Start();
        stub.AddHanging("/v2/team/filter/manifests/v1");
        using var test = new TestClient(Short);

        var error = await Assert.ThrowsAsync<RegistryUnreachableException>(() => test.Client.ResolveAsync(TestClient.Ref($"{stub.Host}/team/filter:v1"), null, Ct).WaitAsync(Bound, Ct));

        Assert.Contains($"to HEAD http://{stub.Host}/v2/team/filter/manifests/v1 for repository team/filter (the ResponseHeaderTimeout option)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_BlobStallsAfterItsHeaders_FailsWithIdleReadTimeoutAndWritesNothing()
    {
        var wasm = WasmModuleBuilder.Build(padding: 200_000, seed: 31);
        var layout = TestLayouts.Wasme(wasm);
        await using var stub = RegistryStub.Start();
        stub.AddManifest("team/filter", "v1", layout.MediaType, layout.Manifest);
        stub.AddBlob("team/filter", Digest.ComputeSha256(layout.Blobs[0]).ToString(), layout.Blobs[0]);
        var blob = $"/v2/team/filter/blobs/{Digest.ComputeSha256(wasm)}";
        stub.AddStalling(blob, wasm, 4096);
        using var test = new TestClient(Short);
        using var dir = new TempDirectory();

        var error = await Assert.ThrowsAsync<RegistryUnreachableException>(async () =>
        {
            await using var pull = await test.Client.PullAsync(TestClient.Ref($"{stub.Host}/team/filter:v1"), null, Ct);
            await pull.SaveToFileAsync(dir.Combine("filter.wasm"), null, Ct).WaitAsync(Bound, Ct);
        });

        Assert.Equal(stub.Host, error.Registry);
        Assert.Contains($"no data received for 1s while reading blob {Digest.ComputeSha256(wasm)} in {stub.Host}/team/filter (the IdleReadTimeout option)", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("filter.wasm")));
        Assert.Equal(1, stub.Count(blob));
    }

    [Fact]
    public async Task PullAsync_ManifestBodyStalls_FailsWithIdleReadTimeout()
    {
        var layout = TestLayouts.Wasme(WasmModuleBuilder.Build(seed: 32));
        await using var stub = RegistryStub.Start();
        stub.AddStalling("/v2/team/filter/manifests/v1", layout.Manifest, 10);
        using var test = new TestClient(Short);

        var error = await Assert.ThrowsAsync<RegistryUnreachableException>(() => test.Client.PullAsync(TestClient.Ref($"{stub.Host}/team/filter:v1"), null, Ct).WaitAsync(Bound, Ct));

        Assert.Contains($"while reading manifest {stub.Host}/team/filter:v1 (the IdleReadTimeout option)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_TokenServiceNeverAnswers_FailsWithResponseHeaderTimeoutNamingTheRepository()
    {
        var tokenRequests = 0;
        var stop = new TaskCompletionSource();
        await using var tokens = RegistryHttpListener.Start(async _ =>
        {
            Interlocked.Increment(ref tokenRequests);
            await stop.Task;
        });
        await using var registry = RegistryHttpListener.Start(context =>
        {
            context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/v2/" ? 200 : 401;
            context.Response.AddHeader("WWW-Authenticate", $"Bearer realm=\"http://{tokens.Host}/token\",service=\"stub\"");
            return Task.CompletedTask;
        });
        using var test = new TestClient(Short);
        try
        {
            var error = await Assert.ThrowsAsync<RegistryUnreachableException>(() => test.Client.PullAsync(TestClient.Ref($"{registry.Host}/team/filter:v1"), null, Ct).WaitAsync(Bound, Ct));

            Assert.Equal(registry.Host, error.Registry);
            Assert.Contains($"no response headers within 1s to GET http://{tokens.Host}/token for repository team/filter (the ResponseHeaderTimeout option)", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("scope=", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, Volatile.Read(ref tokenRequests));
        }
        finally
        {
            stop.TrySetResult();
        }
    }

    [Fact]
    public async Task PullAsync_ErrorBodyStalls_ReportsTheStatusWithoutWaitingForTheBody()
    {
        var stop = new TaskCompletionSource();
        await using var registry = RegistryHttpListener.Start(async context =>
        {
            if (context.Request.Url!.AbsolutePath == "/v2/")
            {
                context.Response.StatusCode = 200;
                return;
            }

            context.Response.StatusCode = 503;
            context.Response.ContentLength64 = 1000;
            await context.Response.OutputStream.WriteAsync("{\"errors\":"u8.ToArray());
            await context.Response.OutputStream.FlushAsync();
            await stop.Task;
        });
        using var test = new TestClient(Short);
        try
        {
            var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.PullAsync(TestClient.Ref($"{registry.Host}/team/filter:v1"), null, Ct).WaitAsync(Bound, Ct));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
            Assert.Empty(error.Errors);
        }
        finally
        {
            stop.TrySetResult();
        }
    }

    [Fact]
    public async Task GetReferrersAsync_ReferrersRequestNeverAnswered_FailsWithResponseHeaderTimeout()
    {
        var subject = Digest.ComputeSha256("subject"u8.ToArray());
        await using var stub = RegistryStub.Start();
        stub.AddHanging($"/v2/team/filter/referrers/{subject}");
        await using var services = Services();
        var content = services.GetRequiredService<IOciContentClient>();

        var error = await Assert.ThrowsAsync<RegistryUnreachableException>(() => content.GetReferrersAsync(TestClient.Ref($"{stub.Host}/team/filter"), subject, null, Ct).WaitAsync(Bound, Ct));

        Assert.Contains($"to GET http://{stub.Host}/v2/team/filter/referrers/{subject} for repository team/filter (the ResponseHeaderTimeout option)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetReferrersAsync_ReferrersBodyStalls_FailsWithIdleReadTimeout()
    {
        var subject = Digest.ComputeSha256("subject"u8.ToArray());
        await using var stub = RegistryStub.Start();
        stub.AddStalling($"/v2/team/filter/referrers/{subject}", new byte[4096], 16);
        await using var services = Services();
        var content = services.GetRequiredService<IOciContentClient>();

        var error = await Assert.ThrowsAsync<RegistryUnreachableException>(() => content.GetReferrersAsync(TestClient.Ref($"{stub.Host}/team/filter"), subject, null, Ct).WaitAsync(Bound, Ct));

        Assert.Contains($"while reading referrers of {subject} in {stub.Host}/team/filter (the IdleReadTimeout option)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutManifestAsync_BodySentAndNeverAnswered_FailsWithResponseHeaderTimeoutAfterTheBody()
    {
        await using var stub = RegistryStub.Start();
        stub.AddHanging("/v2/team/filter/manifests/v1");
        await using var services = Services();
        var content = services.GetRequiredService<IOciContentClient>();
        var manifest = TestLayouts.Wasme(WasmModuleBuilder.Build(seed: 33)).Manifest;

        var error = await Assert.ThrowsAsync<RegistryUnreachableException>(() => content.PutManifestAsync(TestClient.Ref($"{stub.Host}/team/filter"), "v1", manifest, MediaTypes.OciManifest, null, Ct).WaitAsync(Bound, Ct));

        Assert.Contains($"no response headers within 1s to PUT http://{stub.Host}/v2/team/filter/manifests/v1 for repository team/filter (the ResponseHeaderTimeout option)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWasmMeshOci_TimeoutNotPositive_FailsValidationNamingTheSetting()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new TestClient(o => o.IdleReadTimeout = TimeSpan.Zero).Dispose());

        Assert.Contains("IdleReadTimeout must be positive", error.Message, StringComparison.Ordinal);
    }
}
