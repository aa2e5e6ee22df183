using System.Diagnostics;
using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>
/// The control loop under faults, on the shared wasmer (the leader): hanging sources never hold the reconcile workers,
/// deleted or edited EnvoyFilters and newly created pull secrets are acted on at once, and a replica that never cached
/// a module still serves it after the AutoWasm's spec breaks.
/// </summary>
public sealed class ControlLoopFaultTests(SharedMesh mesh)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HangingSources_FiveObjectUrlsThatNeverAnswer_AnotherAutoWasmSyncsWithinTenSeconds()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-hanging";
        await env.CreateNamespaceAsync(ns);
        await using var silent = new SilentServer();
        for (var i = 0; i < 5; i++)
        {
            await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, $"hangs-{i}", MeshEnvironment.ObjectSource(silent.Url($"hangs/{i}.wasm"))));
        }

        // The hanging fetches have started (every connection accepted, none answered), more than the 4 workers.
        await Poll.UntilAsync(() => Task.FromResult(silent.Connections >= 5), "five connections to the silent source", diagnostics: env.Diagnostics);
        var pending = await env.WaitForAutoWasmAsync(ns, "hangs-0", r => r.Status?.Phase == AutoWasmPhase.Pending, "Pending", diagnostics: env.Diagnostics);
        Assert.Contains($"waiting for the module from {silent.Url("hangs/0.wasm")}", pending.Status!.Message, StringComparison.Ordinal);

        var module = WasmModuleBuilder.Build(seed: 111);
        var sha = Digest.ComputeSha256(module).Hex;
        var url = env.Objects.Publish("hanging/other.wasm", module);
        var applied = Stopwatch.StartNew();
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "other", MeshEnvironment.ObjectSource(url)));
        await env.WaitForSyncedAsync(ns, "other", sha, TimeSpan.FromSeconds(10), env.Diagnostics);
        TestContext.Current.TestOutputHelper?.WriteLine($"synced {applied.Elapsed.TotalSeconds:0.00} s after apply while 5 sources hang");
        await env.WaitForEnvoyFilterAsync(ns, "other", sha, diagnostics: env.Diagnostics);

        // The hanging ones are still waiting (their fetches end at the response-header timeout, not before).
        Assert.Equal(AutoWasmPhase.Pending, (await env.AutoWasms.GetAsync(ns, "hangs-4", Ct)).Status?.Phase);
        await env.Kubectl.RunAsync("delete", "aw", "--all", "-n", ns);
    }

    [Fact]
    public async Task OwnedEnvoyFilter_DeletedOrEdited_IsRepairedWithinFiveSeconds()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-drift";
        await env.CreateNamespaceAsync(ns);
        var module = WasmModuleBuilder.Build(seed: 112);
        var sha = Digest.ComputeSha256(module).Hex;
        var url = env.Objects.Publish("drift/filter.wasm", module);
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "drift", MeshEnvironment.ObjectSource(url)));
        await env.WaitForSyncedAsync(ns, "drift", sha, diagnostics: env.Diagnostics);
        var original = await env.WaitForEnvoyFilterAsync(ns, "drift", sha, diagnostics: env.Diagnostics);

        var deleted = Stopwatch.StartNew();
        await env.Kubectl.RunAsync("delete", "envoyfilter", "drift", "-n", ns);
        var recreated = await env.WaitForEnvoyFilterAsync(ns, "drift", sha, TimeSpan.FromSeconds(5), env.Diagnostics);
        TestContext.Current.TestOutputHelper?.WriteLine($"deleted EnvoyFilter back after {deleted.Elapsed.TotalSeconds:0.00} s");
        Assert.NotEqual(original.Metadata.Uid, recreated.Metadata.Uid);

        var edited = Stopwatch.StartNew();
        await env.Kubectl.RunAsync("patch", "envoyfilter", "drift", "-n", ns, "--type", "merge", "-p", """{"spec":{"priority":42}}""");
        Assert.NotEqual(42, original.Spec!.Priority);
        await Poll.UntilAsync(
            async () =>
            {
                var current = await env.EnvoyFilters.GetAsync(ns, "drift", Ct);
                return current.Spec!.Priority == original.Spec!.Priority && MeshEnvironment.Sha256Of(current) == sha;
            },
            "the edited EnvoyFilter spec to be restored",
            TimeSpan.FromSeconds(5),
            env.Diagnostics);
        TestContext.Current.TestOutputHelper?.WriteLine($"edited EnvoyFilter restored after {edited.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task MissingPullSecret_Created_ReconcilesAtOnceInsteadOfAtTheNextBackoff()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-secret-watch";
        await env.CreateNamespaceAsync(ns);
        var moduleFile = env.Directory.Combine("secret-watch.wasm");
        var module = WasmModuleBuilder.Build(seed: 113);
        await File.WriteAllBytesAsync(moduleFile, module, Ct);
        var sha = Digest.ComputeSha256(module).Hex;
        var image = $"{env.Registry.Host}/e2e/secret-watch:v1";
        await Wasmc.PushAsync(image, moduleFile);

        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "needs-secret", MeshEnvironment.RegistrySource(image), secret: "regcred"));
        var failed = await env.WaitForAutoWasmAsync(ns, "needs-secret", r => r.Status?.Phase == AutoWasmPhase.Failed, "Failed for the missing secret", diagnostics: env.Diagnostics);
        Assert.Contains("regcred", failed.Status!.Message, StringComparison.Ordinal);

        // Let the retry backoff grow (5 ms doubling: retries 10 s and 20 s after the first failure, then 41 s) so that
        // only the Secret watch can explain a reconcile within the next 5 s.
        await Task.Delay(TimeSpan.FromSeconds(23), Ct);
        var created = Stopwatch.StartNew();
        await env.Kubectl.RunAsync("create", "secret", "docker-registry", "regcred", "-n", ns, $"--docker-server={env.Registry.Host}", "--docker-username=unused", "--docker-password=unused");
        await env.WaitForSyncedAsync(ns, "needs-secret", sha, TimeSpan.FromSeconds(5), env.Diagnostics);
        TestContext.Current.TestOutputHelper?.WriteLine($"synced {created.Elapsed.TotalSeconds:0.00} s after the secret was created");
    }

    [Fact]
    public async Task NonLeader_NeverCachedTheModule_ServesItAfterTheSpecBreaks()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-last-good";
        await env.CreateNamespaceAsync(ns);
        var module = WasmModuleBuilder.Build(seed: 114);
        var sha = Digest.ComputeSha256(module).Hex;
        var url = env.Objects.Publish("last-good/filter.wasm", module);
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "last-good", MeshEnvironment.ObjectSource(url)));
        await env.WaitForSyncedAsync(ns, "last-good", sha, diagnostics: env.Diagnostics);

        // The spec now names a source that answers 404: the leader keeps the EnvoyFilter (and the module it names).
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "last-good", MeshEnvironment.ObjectSource(env.Objects.Url("last-good/missing.wasm"))));
        var failed = await env.WaitForAutoWasmAsync(ns, "last-good", r => r.Status?.Phase == AutoWasmPhase.Failed && r.Status.ObservedGeneration == r.Metadata.Generation, "Failed for the broken source", diagnostics: env.Diagnostics);
        Assert.Equal(sha, failed.Status!.Sha256?.Hex);
        Assert.Equal(url.ToString(), failed.Status.Source?.Url);
        Assert.Equal(sha, MeshEnvironment.Sha256Of(await env.EnvoyFilters.GetAsync(ns, "last-good", Ct)));

        // A second replica (a follower: the shared wasmer holds the lease) has never seen the module, and still serves it.
        await using var follower = await WasmerProcess.StartAsync("last-good-follower", env.Kubeconfig, [], cancellationToken: Ct);
        Assert.False(await follower.IsLeaderAsync(Ct));
        using var response = await follower.Http.GetAsync(new Uri($"/wasm/{sha}", UriKind.Relative), Ct);
        Assert.True(response.IsSuccessStatusCode, $"the follower answered {(int)response.StatusCode}\n{follower.Log}");
        Assert.Equal(module, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(2, env.Objects.Requests("last-good/filter.wasm"));
    }
}
