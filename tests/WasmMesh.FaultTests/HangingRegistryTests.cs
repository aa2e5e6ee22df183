using System.Diagnostics;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>
/// Fault 5 with registry sources: a stub registry on 127.0.0.1 that accepts manifest requests and never answers them,
/// or answers a blob's headers and then stalls. The hanging AutoWasms hold fetch slots, never the reconcile workers:
/// another AutoWasm from the same registry syncs meanwhile; the hanging ones show Pending with what they wait for, then
/// fail at the response-header or idle-read timeout (30 s, the shared wasmer's defaults) with a transient reason naming
/// the registry, the repository and the setting — not at the 5-minute fetch timeout.
/// </summary>
public sealed class HangingRegistryTests(FaultMesh fixture)
{
    private static readonly TimeSpan AfterTheTimeouts = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task HangingRegistrySources_AnotherAutoWasmSyncsMeanwhile_HangingOnesPendingThenTransientFailure()
    {
        var env = await fixture.GetAsync();
        var mesh = env.Mesh;
        const string ns = "fault-hanging-registry";
        await mesh.CreateNamespaceAsync(ns);
        await using var registry = RegistryStub.Start();
        var silent = new[] { "silent/a", "silent/b", "silent/c" };
        foreach (var repository in silent)
        {
            registry.AddHanging($"/v2/{repository}/manifests/v1");
        }

        var stalled = new[] { "stalled/a", "stalled/b" };
        var stalledBlobs = new List<string>();
        foreach (var (repository, i) in stalled.Select((r, i) => (r, i)))
        {
            var module = WasmModuleBuilder.Build(seed: 501 + i, padding: 64 * 1024);
            var blob = registry.AddModule(repository, "v1", module);
            registry.AddStalling(blob, module, 4096);
            stalledBlobs.Add(blob);
        }

        var hanging = silent.Concat(stalled).ToArray();
        foreach (var repository in hanging)
        {
            await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, Name(repository), MeshEnvironment.RegistrySource($"{registry.Host}/{repository}:v1")));
        }

        // Every hanging fetch has started (more than the 4 workers): the manifests are asked for, the blobs are stalling.
        await Poll.UntilAsync(
            () => Task.FromResult(silent.All(r => registry.Count($"/v2/{r}/manifests/v1") >= 1) && stalledBlobs.All(b => registry.Count(b) >= 1)),
            "every hanging registry request to have started",
            diagnostics: env.Diagnostics);
        foreach (var repository in hanging)
        {
            var pending = await mesh.WaitForAutoWasmAsync(ns, Name(repository), r => r.Status?.Phase == AutoWasmPhase.Pending, "Pending", diagnostics: env.Diagnostics);
            Assert.Contains($"waiting for the module from image {registry.Host}/{repository}:v1", pending.Status!.Message, StringComparison.Ordinal);
        }

        // Another AutoWasm from the same registry syncs while they hang.
        var healthy = WasmModuleBuilder.Build(seed: 510);
        registry.AddModule("healthy/filter", "v1", healthy);
        var sha = Digest.ComputeSha256(healthy).Hex;
        var applied = Stopwatch.StartNew();
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "other", MeshEnvironment.RegistrySource($"{registry.Host}/healthy/filter:v1")));
        await mesh.WaitForSyncedAsync(ns, "other", sha, TimeSpan.FromSeconds(10), env.Diagnostics);
        TestContext.Current.TestOutputHelper?.WriteLine($"synced {applied.Elapsed.TotalSeconds:0.00} s after apply while {hanging.Length} registry sources hang");

        // The hanging ones end at their timeouts with a transient reason that names the registry, repository and setting.
        foreach (var repository in hanging)
        {
            var failed = await mesh.WaitForAutoWasmAsync(ns, Name(repository), r => r.Status?.Phase == AutoWasmPhase.Failed, "Failed at the source timeout", AfterTheTimeouts, env.Diagnostics);
            var ready = Assert.Single(failed.Status!.Conditions, c => c.Type == "Ready");
            Assert.Equal("SourceUnavailable", ready.Reason);
            Assert.Contains($"cannot reach registry {registry.Host}", failed.Status.Message, StringComparison.Ordinal);
            Assert.Contains(repository, failed.Status.Message, StringComparison.Ordinal);
            Assert.Contains(silent.Contains(repository) ? "(the ResponseHeaderTimeout option)" : "(the IdleReadTimeout option)", failed.Status.Message, StringComparison.Ordinal);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"every hanging source failed {applied.Elapsed.TotalSeconds:0.0} s after the other was applied");
        await mesh.Kubectl.RunAsync("delete", "aw", "--all", "-n", ns);
    }

    private static string Name(string repository) => repository.Replace('/', '-');
}
