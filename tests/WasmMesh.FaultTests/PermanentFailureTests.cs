using System.Diagnostics;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>Fault 4: permanent failures (404, digest mismatch, too large) are reported once and not retried with backoff.</summary>
public sealed class PermanentFailureTests(FaultMesh fixture)
{
    // The bound of the issue is 6 fetches in 60 s; the window is 30 s, so 3.
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private const int MaxFetchesInWindow = 3;

    [Fact]
    public async Task PermanentlyFailingSources_AreFetchedAtMostThreeTimesIn30Seconds()
    {
        var env = await fixture.GetAsync();
        var mesh = env.Mesh;
        const string ns = "fault-permanent";
        await mesh.CreateNamespaceAsync(ns);
        var module = WasmModuleBuilder.Build(seed: 301);
        var missing = env.Stub.Url("/permanent/missing.wasm");
        var mismatched = env.Stub.Publish("permanent/mismatch.wasm", module);
        var large = env.Stub.Publish("permanent/large.wasm", WasmModuleBuilder.Build(seed: 302, padding: FaultMesh.MaxModuleBytes + 1024));
        var wrongSha = Digest.ComputeSha256(WasmModuleBuilder.Build(seed: 303)).Hex;
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "missing", MeshEnvironment.ObjectSource(missing)));
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "mismatch", $"object: {{url: \"{mismatched}\", sha256: \"{wrongSha}\"}}"));
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "large", MeshEnvironment.ObjectSource(large)));

        var reasons = new Dictionary<string, string>();
        foreach (var name in new[] { "missing", "mismatch", "large" })
        {
            var failed = await mesh.WaitForAutoWasmAsync(ns, name, r => r.Status?.Phase == AutoWasmPhase.Failed, "Failed", diagnostics: env.Diagnostics);
            reasons[name] = Assert.Single(failed.Status!.Conditions).Reason ?? string.Empty;
        }

        Assert.Equal("SourceNotFound", reasons["missing"]);
        Assert.Equal("DigestMismatch", reasons["mismatch"]);
        Assert.Equal("ModuleTooLarge", reasons["large"]);

        var clock = Stopwatch.StartNew();
        var paths = new[] { "permanent/missing.wasm", "permanent/mismatch.wasm", "permanent/large.wasm" };
        var atStart = paths.Select(env.Stub.Requests).ToArray();
        await Task.Delay(Window, TestContext.Current.CancellationToken);
        var total = paths.Select(env.Stub.Requests).ToArray();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"after {clock.Elapsed.TotalSeconds:0.0} s: " + string.Join(", ", paths.Select((p, i) => $"{p}: {total[i]} fetches in all, {total[i] - atStart[i]} in the window")));
        for (var i = 0; i < paths.Length; i++)
        {
            Assert.True(total[i] <= MaxFetchesInWindow, $"{paths[i]} was fetched {total[i]} times (at most {MaxFetchesInWindow} in {Window.TotalSeconds} s)\n{env.Diagnostics()}");
        }

        // Reported once: the status stays Failed with the same message (no churn).
        foreach (var name in new[] { "missing", "mismatch", "large" })
        {
            var latest = await mesh.AutoWasms.GetAsync(ns, name, TestContext.Current.CancellationToken);
            Assert.Equal(AutoWasmPhase.Failed, latest.Status!.Phase);
        }
    }
}
