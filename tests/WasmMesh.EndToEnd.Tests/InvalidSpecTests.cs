using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>(d) a spec the API server accepts but the AutoWasm validator rejects.</summary>
public sealed class InvalidSpecTests(SharedMesh mesh)
{
    [Fact]
    public async Task Apply_InvalidSpec_FailsWithEveryMessageAndWritesNoEnvoyFilterUntilFixed()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-invalid";
        await env.CreateNamespaceAsync(ns);
        var yaml = MeshEnvironment.AutoWasmYaml(ns, "invalid", MeshEnvironment.RegistrySource($"{env.Registry.Host}/Team/Filter:v1"))
            .Replace("      - 9080\n", "      - 9080\n      - 9080\n", StringComparison.Ordinal);

        await env.Kubectl.ApplyAsync(yaml);

        var failed = await env.WaitForAutoWasmAsync(ns, "invalid", r => r.Status?.Phase == AutoWasmPhase.Failed, "Failed", diagnostics: env.Diagnostics);
        Assert.Contains("spec.filter.source.registry.image", failed.Status!.Message, StringComparison.Ordinal);
        Assert.Contains("spec.filter.applyPorts[1]", failed.Status.Message, StringComparison.Ordinal);
        var condition = Assert.Single(failed.Status.Conditions);
        Assert.Equal(("False", "InvalidSpec"), (condition.Status, condition.Reason));
        Assert.Equal(failed.Metadata.Generation, failed.Status.ObservedGeneration);
        Assert.Null(failed.Status.Sha256);
        Assert.Null(await env.EnvoyFilters.TryGetAsync(ns, "invalid", TestContext.Current.CancellationToken));
        Assert.Contains("Failed", await env.Kubectl.RunAsync("get", "aw", "invalid", "-n", ns), StringComparison.Ordinal);
        var events = await env.Kubectl.RunAsync("get", "events", "-n", ns, "-o", "jsonpath={.items[*].reason}");
        Assert.Contains("InvalidSpec", events, StringComparison.Ordinal);

        // Fixing the spec is what triggers the next attempt.
        var module = WasmModuleBuilder.Build(seed: 41);
        var moduleFile = env.Directory.Combine("invalid-fixed.wasm");
        await File.WriteAllBytesAsync(moduleFile, module, TestContext.Current.CancellationToken);
        var image = $"{env.Registry.Host}/team/filter:v1";
        await Wasmc.PushAsync(image, moduleFile);
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "invalid", MeshEnvironment.RegistrySource(image)));

        var sha = Digest.ComputeSha256(module).Hex;
        await env.WaitForSyncedAsync(ns, "invalid", sha, diagnostics: env.Diagnostics);
        await env.WaitForEnvoyFilterAsync(ns, "invalid", sha);
    }
}
