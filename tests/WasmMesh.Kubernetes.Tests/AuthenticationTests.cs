using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Kubernetes.Tests;

public sealed class AuthenticationTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static (HttpClient Client, RecordingHandler Recorder) Create(KubernetesClientConfiguration config, TimeProvider time)
    {
        var recorder = new RecordingHandler();
        var handler = new KubernetesAuthHandler(config, time, recorder, []);
        return (new HttpClient(handler), recorder);
    }

    [Fact]
    public async Task StaticToken_SentAsBearer()
    {
        var (client, recorder) = Create(new KubernetesClientConfiguration { Server = new Uri("http://k"), AccessToken = "t0k" }, TimeProvider.System);
        using (client)
        {
            await client.GetAsync(new Uri("http://k/api"), _ct);
        }

        Assert.Equal(new AuthenticationHeaderValue("Bearer", "t0k"), recorder.Authorization.Single());
    }

    [Fact]
    public async Task BasicAuth_SentWhenThereIsNoToken()
    {
        var (client, recorder) = Create(new KubernetesClientConfiguration { Server = new Uri("http://k"), Username = "admin", Password = "pw" }, TimeProvider.System);
        using (client)
        {
            await client.GetAsync(new Uri("http://k/api"), _ct);
        }

        var header = recorder.Authorization.Single()!;
        Assert.Equal("Basic", header.Scheme);
        Assert.Equal("admin:pw", Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter!)));
    }

    [Fact]
    public async Task TokenFile_Rotated_IsReReadAfterAMinute()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("token");
        await File.WriteAllTextAsync(file, "first\n", _ct);
        var time = new FakeTimeProvider();
        var (client, recorder) = Create(new KubernetesClientConfiguration { Server = new Uri("http://k"), TokenFile = file }, time);
        using (client)
        {
            await client.GetAsync(new Uri("http://k/a"), _ct);
            await File.WriteAllTextAsync(file, "second", _ct);
            await client.GetAsync(new Uri("http://k/b"), _ct);
            time.Advance(TimeSpan.FromSeconds(61));
            await client.GetAsync(new Uri("http://k/c"), _ct);
        }

        Assert.Equal(["first", "first", "second"], recorder.Authorization.Select(a => a!.Parameter));
    }

    [Fact]
    public async Task TokenFile_Unauthorized_ReReadsOnTheNextRequest()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("token");
        await File.WriteAllTextAsync(file, "old", _ct);
        var (client, recorder) = Create(new KubernetesClientConfiguration { Server = new Uri("http://k"), TokenFile = file }, new FakeTimeProvider());
        recorder.NextStatus = HttpStatusCode.Unauthorized;
        using (client)
        {
            await client.GetAsync(new Uri("http://k/a"), _ct);
            await File.WriteAllTextAsync(file, "new", _ct);
            await client.GetAsync(new Uri("http://k/b"), _ct);
        }

        Assert.Equal(["old", "new"], recorder.Authorization.Select(a => a!.Parameter));
    }

    [Fact]
    public async Task ExecPlugin_TokenFromExecCredential_IsCachedUntilExpiry()
    {
        var sh = ExternalBinary.Require("sh", "dash");
        using var dir = new TempDirectory();
        var counter = dir.Combine("count");
        var script = dir.Combine("plugin.sh");
        await File.WriteAllTextAsync(script, $$$"""
            echo x >> "{{{counter}}}"
            test "$PLUGIN_ENV" = yes || exit 3
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token","expirationTimestamp":"2099-01-01T00:00:00Z"}}'
            """, _ct);
        var exec = new ExecCredentialSettings { Command = sh, Arguments = [script], Environment = new Dictionary<string, string> { ["PLUGIN_ENV"] = "yes" } };
        var (client, recorder) = Create(new KubernetesClientConfiguration { Server = new Uri("http://k"), Exec = exec }, new FakeTimeProvider());
        using (client)
        {
            await client.GetAsync(new Uri("http://k/a"), _ct);
            await client.GetAsync(new Uri("http://k/b"), _ct);
        }

        Assert.Equal(["exec-token", "exec-token"], recorder.Authorization.Select(a => a!.Parameter));
        Assert.Single(await File.ReadAllLinesAsync(counter, _ct));
    }

    [Fact]
    public async Task ExecPlugin_Failing_ThrowsConfigurationErrorWithStderr()
    {
        var sh = ExternalBinary.Require("sh", "dash");
        var exec = new ExecCredentialSettings { Command = sh, Arguments = ["-c", "echo 'login required' >&2; exit 1"] };
        var (client, _) = Create(new KubernetesClientConfiguration { Server = new Uri("http://k"), Exec = exec }, TimeProvider.System);
        using (client)
        {
            var ex = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => client.GetAsync(new Uri("http://k/a"), _ct));
            Assert.Contains("login required", ex.Message, StringComparison.Ordinal);
        }
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<AuthenticationHeaderValue?> Authorization { get; } = [];

        public HttpStatusCode NextStatus { get; set; } = HttpStatusCode.OK;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorization.Add(request.Headers.Authorization);
            var status = NextStatus;
            NextStatus = HttpStatusCode.OK;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("{}") });
        }
    }
}
