using k8s;
using System.Diagnostics;
using System.Net;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>
/// Fault 7: an API server outage. wasmer reaches the API through a TCP forwarder the test cuts: the replica stays
/// ready and serves from its cache, the leader exits after its renew deadline (as controller-runtime does), a
/// restarted process is ready and serves from the cache while the API is still down, and when the API returns it
/// takes its own lease over at once instead of waiting a full lease duration.
/// </summary>
public sealed class ApiOutageTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task ApiDown_ReplicaStaysReadyAndServesFromCache_RestartServesFromCache_OwnLeaseTakenOverAtOnce()
    {
        Kubectl.Require();
        await using var mesh = await MeshEnvironment.StartAsync(TestContext.Current.CancellationToken);
        await using var stub = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);
        await using var forwarder = new TcpForwarder(mesh.Api.Url.Port);
        forwarder.Start();
        var kubeconfig = mesh.Directory.Combine("kubeconfig-forwarded");
        await File.WriteAllTextAsync(kubeconfig, mesh.Api.KubeconfigYaml.Replace(mesh.Api.Url.Authority, forwarder.Host, StringComparison.Ordinal), TestContext.Current.CancellationToken);
        using var cache = new TempDirectory("wasmer-fault-cache");
        string[] arguments =
        [
            "--Wasmer:LeaseName=outage",
            $"--Wasmer:LeaseDuration={LeaseDuration:c}",
            "--Wasmer:RenewDeadline=00:00:03",
            "--Wasmer:RetryPeriod=00:00:01",
        ];
        var identity = new Dictionary<string, string> { ["POD_NAME"] = "wasmer-outage-0" };

        var module = WasmModuleBuilder.Build(seed: 701);
        var sha = Digest.ComputeSha256(module).Hex;
        var first = await WasmerProcess.StartAsync("outage-first", kubeconfig, arguments, cacheDirectory: cache.Path, environment: identity, cancellationToken: TestContext.Current.CancellationToken);
        await using (first)
        {
            await Poll.UntilAsync(() => first.IsLeaderAsync(), "the only replica to lead", diagnostics: () => first.Log);
            await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml("default", "outage", MeshEnvironment.ObjectSource(stub.Publish("outage.wasm", module))));
            await mesh.WaitForSyncedAsync("default", "outage", sha, diagnostics: () => first.Log);

            await forwarder.StopAsync();
            var outage = Stopwatch.StartNew();

            // While the leader still runs (its renew deadline is 3 s), it is ready and serves from its cache.
            await AssertServesAsync(first, sha, module);
            var exitCode = await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
            TestContext.Current.TestOutputHelper?.WriteLine($"the leader exited with code {exitCode} {outage.Elapsed.TotalSeconds:0.0} s into the outage");
            Assert.Equal(1, exitCode);
        }

        // Restarted (as the kubelet would) with the API still down: ready at once and serving from the disk cache.
        var second = await WasmerProcess.StartAsync("outage-second", kubeconfig, arguments, cacheDirectory: cache.Path, environment: identity, cancellationToken: TestContext.Current.CancellationToken);
        await using (second)
        {
            await AssertServesAsync(second, sha, module);
            using var health = await second.Http.GetAsync(new Uri("/healthz/controllers", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("WaitingForCaches", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

            // The API returns: the lease still names this pod, so the restarted process takes it over at once.
            forwarder.Start();
            var back = Stopwatch.StartNew();
            await Poll.UntilAsync(() => second.IsLeaderAsync(), "the restarted replica to lead again", LeaseDuration / 2, () => second.Log);
            TestContext.Current.TestOutputHelper?.WriteLine($"leading again {back.Elapsed.TotalSeconds:0.0} s after the API returned (lease duration {LeaseDuration.TotalSeconds} s)");
            var lease = await mesh.Client.CoordinationV1.ReadNamespacedLeaseAsync("outage", "default", cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal("wasmer-outage-0", lease.Spec.HolderIdentity);
            using var healthy = await second.Http.GetAsync(new Uri("/healthz/controllers", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }
    }

    private static async Task AssertServesAsync(WasmerProcess wasmer, string sha, byte[] module)
    {
        using var ready = await wasmer.Http.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var served = await wasmer.Http.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(module, served);
    }
}
