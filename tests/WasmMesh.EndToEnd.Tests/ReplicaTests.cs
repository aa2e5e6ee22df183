using k8s;
using System.Diagnostics;
using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.Kubernetes;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>(g) two wasmer replicas on their own API server: one writes, both serve; the survivor takes over.</summary>
public sealed class ReplicaTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task TwoReplicas_OneLeads_BothServe_SurvivorTakesOverWhenLeaderIsKilled()
    {
        await using var env = await MeshEnvironment.StartAsync(TestContext.Current.CancellationToken);
        await using var objects = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);
        string[] arguments =
        [
            "--Wasmer:LeaseName=e2e-replicas",
            $"--Wasmer:LeaseDuration={LeaseDuration:c}",
            "--Wasmer:RenewDeadline=00:00:03",
            $"--Wasmer:RetryPeriod={RetryPeriod:c}",
        ];
        var starting = new[] { "one", "two" }.Select(name => WasmerProcess.StartAsync(name, env.Kubeconfig, arguments, cancellationToken: TestContext.Current.CancellationToken)).ToList();
        await Task.WhenAll(starting.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        await using var one = await starting[0];
        await using var two = await starting[1];
        string Diagnostics() => $"--- wasmer one\n{Tail(one.Log)}\n--- wasmer two\n{Tail(two.Log)}";

        // Exactly one replica leads (and holds the Lease).
        var (leader, follower) = await Poll.UntilAsync(
            async () =>
            {
                var oneLeads = await one.IsLeaderAsync(TestContext.Current.CancellationToken);
                var twoLeads = await two.IsLeaderAsync(TestContext.Current.CancellationToken);
                return oneLeads != twoLeads ? Tuple.Create(oneLeads ? one : two, oneLeads ? two : one) : null;
            },
            "exactly one leader",
            diagnostics: Diagnostics);
        var lease = await env.Client.CoordinationV1.ReadNamespacedLeaseAsync("e2e-replicas", "default", cancellationToken: TestContext.Current.CancellationToken);
        var leaderIdentity = lease.Spec!.HolderIdentity;
        Assert.False(string.IsNullOrEmpty(leaderIdentity));

        const string ns = "e2e-replicas";
        await env.CreateNamespaceAsync(ns);
        var module = WasmModuleBuilder.Build(seed: 71);
        var sha = Digest.ComputeSha256(module).Hex;
        var url = objects.Publish("replicas/filter.wasm", module);
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "replicated", MeshEnvironment.ObjectSource(url)));
        await env.WaitForSyncedAsync(ns, "replicated", sha, diagnostics: Diagnostics);
        await env.WaitForEnvoyFilterAsync(ns, "replicated", sha, diagnostics: Diagnostics);

        // Only the leader reconciles (and so writes); the follower's controller never ran.
        // (A reconcile is counted when it returns, just after its status write: poll for it.)
        await Poll.UntilAsync(
            async () => await leader.MetricAsync("wasmmesh_controller_reconciles_total", TestContext.Current.CancellationToken) > 0,
            "the leader to count its reconciles",
            diagnostics: Diagnostics);
        var followerReconciles = await follower.MetricAsync("wasmmesh_controller_reconciles_total", TestContext.Current.CancellationToken) ?? 0;
        Assert.True(followerReconciles == 0, $"the follower reconciled {followerReconciles} times\n{Diagnostics()}");
        Assert.Equal(1, objects.Requests("replicas/filter.wasm"));

        // Both serve it; the follower fills its own cache on demand from the AutoWasm whose status names the digest.
        Assert.Equal(module, await leader.Http.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.Equal(module, await follower.Http.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.Equal(2, objects.Requests("replicas/filter.wasm"));

        // Kill the leader (no graceful release): the follower takes over once the lease expires.
        var killed = Stopwatch.StartNew();
        await leader.KillAsync();
        await Poll.UntilAsync(
            () => follower.IsLeaderAsync(TestContext.Current.CancellationToken),
            "the follower to take over",
            LeaseDuration + (RetryPeriod * 2.2 * 2) + TimeSpan.FromSeconds(5),
            Diagnostics);
        var takeover = killed.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"takeover {takeover.TotalSeconds:0.00} s after the leader was killed (lease duration {LeaseDuration.TotalSeconds} s)");
        lease = await env.Client.CoordinationV1.ReadNamespacedLeaseAsync("e2e-replicas", "default", cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEqual(leaderIdentity, lease.Spec!.HolderIdentity);

        // The new leader writes: a new AutoWasm gets its EnvoyFilter, and the old one stays Synced.
        var second = WasmModuleBuilder.Build(seed: 72);
        var secondSha = Digest.ComputeSha256(second).Hex;
        var secondUrl = objects.Publish("replicas/second.wasm", second);
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "after-takeover", MeshEnvironment.ObjectSource(secondUrl)));
        await env.WaitForSyncedAsync(ns, "after-takeover", secondSha, diagnostics: Diagnostics);
        await env.WaitForEnvoyFilterAsync(ns, "after-takeover", secondSha, diagnostics: Diagnostics);
        await env.WaitForSyncedAsync(ns, "replicated", sha, diagnostics: Diagnostics);
        Assert.Equal(second, await follower.Http.GetByteArrayAsync(new Uri($"/wasm/{secondSha}", UriKind.Relative), TestContext.Current.CancellationToken));
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];
}
