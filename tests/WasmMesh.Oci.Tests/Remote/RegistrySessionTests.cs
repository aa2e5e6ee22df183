using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Text;
using WasmMesh.Oci.Tests.Layouts;

namespace WasmMesh.Oci.Tests.Remote;

public sealed class RegistrySessionTests
{
    private static readonly byte[] Wasm = WasmModuleBuilder.Build();
    private static readonly BuiltLayout Layout = TestLayouts.Raw(WasmLayout.CncfWasmArtifact, MediaTypes.CncfWasmConfig, "{}"u8.ToArray(), MediaTypes.CncfWasmLayer, Wasm);
    private static readonly RegistryCredentials Alice = new("alice", "pw");

    private static HttpResponseMessage Serve(HttpRequestMessage request, string? requiredAuthorization, Func<HttpRequestMessage, HttpResponseMessage?>? extra = null)
    {
        var uri = request.RequestUri!;
        if (extra?.Invoke(request) is { } special)
        {
            return special;
        }

        if (uri.Host == "auth.example.com")
        {
            return request.Headers.Authorization?.ToString() == "Basic " + Alice.ToBasicAuth()
                ? StubHandler.Json(HttpStatusCode.OK, "{\"token\":\"T-" + Guid.NewGuid().ToString("N")[..6] + "\",\"expires_in\":300}")
                : StubHandler.Json(HttpStatusCode.Unauthorized, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
        }

        if (requiredAuthorization is not null && request.Headers.Authorization?.Scheme != requiredAuthorization)
        {
            var response = StubHandler.Json(HttpStatusCode.Unauthorized, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            response.Headers.WwwAuthenticate.ParseAdd(requiredAuthorization == "Bearer"
                ? "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\""
                : "Basic realm=\"test\"");
            return response;
        }

        if (uri.AbsolutePath == "/v2/team/filter/manifests/v1")
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Layout.Manifest) { Headers = { ContentType = new(MediaTypes.OciManifest) } } };
        }

        foreach (var blob in Layout.Blobs)
        {
            if (uri.AbsolutePath == $"/v2/team/filter/blobs/{Digest.ComputeSha256(blob)}")
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(blob) };
            }
        }

        return StubHandler.Json(HttpStatusCode.NotFound, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"x\"}}]}");
    }

    private static async Task<byte[]> ReadAllAsync(WasmPullResult pull)
    {
        using var buffer = new MemoryStream();
        await pull.Content.CopyToAsync(buffer, TestContext.Current.CancellationToken);
        return buffer.ToArray();
    }

    [Fact]
    public async Task PullAsync_BearerChallenge_FetchesTokenOnceAndReusesItUntilExpiry()
    {
        var handler = new StubHandler(r => Serve(r, "Bearer"));
        var time = new FakeTimeProvider();
        using var test = new TestClient(handler: handler, time: time);
        var reference = TestClient.Ref("registry.example.com/team/filter:v1");

        await using (var pull = await test.Client.PullAsync(reference, Alice, TestContext.Current.CancellationToken))
        {
            Assert.Equal(Wasm, await ReadAllAsync(pull));
        }

        await using (var pull = await test.Client.PullAsync(reference, Alice, TestContext.Current.CancellationToken))
        {
            Assert.Equal(Wasm, await ReadAllAsync(pull));
        }

        var tokenRequests = handler.Requests.Where(r => r.Uri.Host == "auth.example.com").ToList();
        Assert.Single(tokenRequests);
        Assert.Contains("scope=repository%3Ateam%2Ffilter%3Apull", tokenRequests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("service=registry.example.com", tokenRequests[0].Uri.Query, StringComparison.Ordinal);
        Assert.All(handler.Requests.Where(r => r.Uri.Host == "registry.example.com" && r.Authorization is not null), r => Assert.StartsWith("Bearer T-", r.Authorization, StringComparison.Ordinal));

        time.Advance(TimeSpan.FromMinutes(10));
        await using (var pull = await test.Client.PullAsync(reference, Alice, TestContext.Current.CancellationToken))
        {
            Assert.Equal(Wasm, await ReadAllAsync(pull));
        }

        Assert.Equal(2, handler.Requests.Count(r => r.Uri.Host == "auth.example.com"));
    }

    [Fact]
    public async Task PullAsync_TokenServiceRefusesCredentials_ThrowsAuthenticationFailure()
    {
        using var test = new TestClient(handler: new StubHandler(r => Serve(r, "Bearer")));

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.PullAsync(TestClient.Ref("registry.example.com/team/filter:v1"), new RegistryCredentials("alice", "wrong"), TestContext.Current.CancellationToken));

        Assert.True(error.IsAuthenticationFailure);
        Assert.Contains("bad credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_BasicChallengeWithoutCredentials_SaysToLogIn()
    {
        using var test = new TestClient(handler: new StubHandler(r => Serve(r, "Basic")));

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.PullAsync(TestClient.Ref("registry.example.com/team/filter:v1"), null, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("wasmc login registry.example.com", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_BasicChallengeWithProviderCredentials_SendsThem()
    {
        var handler = new StubHandler(r => Serve(r, "Basic"));
        var provider = DockerConfigCredentials.FromDockerConfigJson("{\"auths\":{\"registry.example.com\":{\"auth\":\"" + Alice.ToBasicAuth() + "\"}}}");
        using var test = new TestClient(handler: handler, credentials: provider);

        await using var pull = await test.Client.PullAsync(TestClient.Ref("registry.example.com/team/filter:v1"), null, TestContext.Current.CancellationToken);

        Assert.Equal(Wasm, await ReadAllAsync(pull));
        Assert.Contains(handler.Requests, r => r.Authorization == "Basic " + Alice.ToBasicAuth());
    }

    [Fact]
    public async Task PullAsync_BlobRedirectedToAnotherHost_DropsAuthorization()
    {
        var wasmDigest = Digest.ComputeSha256(Wasm);
        var handler = new StubHandler(r => Serve(r, "Basic", request =>
        {
            if (request.RequestUri!.AbsolutePath == $"/v2/team/filter/blobs/{wasmDigest}")
            {
                var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
                redirect.Headers.Location = new Uri("https://storage.example.net/bucket/blob?X-Signature=secret");
                return redirect;
            }

            return request.RequestUri.Host == "storage.example.net" ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Wasm) } : null;
        }));
        using var test = new TestClient(handler: handler);

        await using var pull = await test.Client.PullAsync(TestClient.Ref("registry.example.com/team/filter:v1"), Alice, TestContext.Current.CancellationToken);

        Assert.Equal(Wasm, await ReadAllAsync(pull));
        var storage = Assert.Single(handler.Requests, r => r.Uri.Host == "storage.example.net");
        Assert.Null(storage.Authorization);
        Assert.Contains(handler.Requests, r => r.Uri.Host == "registry.example.com" && r.Authorization is not null);
    }

    [Fact]
    public async Task PullAsync_MissingTag_ThrowsNotFoundWithRegistryErrors()
    {
        using var test = new TestClient(handler: new StubHandler(r => Serve(r, null)));

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.PullAsync(TestClient.Ref("registry.example.com/team/filter:nope"), null, TestContext.Current.CancellationToken));

        Assert.True(error.IsNotFound);
        Assert.Equal("MANIFEST_UNKNOWN", Assert.Single(error.Errors).Code);
        Assert.Equal("GET", error.Method);
        Assert.Contains("manifest unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_PinnedDigestDoesNotMatchManifest_ThrowsDigestMismatch()
    {
        using var test = new TestClient(handler: new StubHandler(r => Serve(r, null, request =>
            request.RequestUri!.AbsolutePath.Contains("/manifests/sha256:", StringComparison.Ordinal)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Layout.Manifest) }
                : null)));
        var pinned = Digest.ComputeSha256(Encoding.UTF8.GetBytes("something else"));

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => test.Client.PullAsync(TestClient.Ref($"registry.example.com/team/filter@{pinned}"), null, TestContext.Current.CancellationToken));

        Assert.Equal(pinned, error.Expected);
    }

    [Fact]
    public async Task ResolveAsync_HeadReturnsDigestHeader_UsesIt()
    {
        var digest = Digest.ComputeSha256(Layout.Manifest);
        using var test = new TestClient(handler: new StubHandler(r => Serve(r, null, request =>
        {
            if (request.Method != HttpMethod.Head)
            {
                return null;
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
            response.Headers.TryAddWithoutValidation("Docker-Content-Digest", digest.ToString());
            return response;
        })));

        Assert.Equal(digest, await test.Client.ResolveAsync(TestClient.Ref("registry.example.com/team/filter:v1"), null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void RegistryException_Message_DropsQueryString()
    {
        var error = new RegistryException(HttpStatusCode.Forbidden, "GET", new Uri("https://r.example.com/v2/x/blobs/sha256:1?token=secret"), []);

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsAuthenticationFailure);
    }
}
