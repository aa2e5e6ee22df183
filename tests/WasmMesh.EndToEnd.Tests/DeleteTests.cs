using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>(h) deleting an AutoWasm removes its EnvoyFilter.</summary>
public sealed class DeleteTests(SharedMesh mesh)
{
    [Fact]
    public async Task Delete_AutoWasm_RemovesEnvoyFilter()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-delete";
        await env.CreateNamespaceAsync(ns);
        var module = WasmModuleBuilder.Build(seed: 81);
        var sha = Digest.ComputeSha256(module).Hex;
        var url = env.Objects.Publish("filters/e2e-delete/filter.wasm", module);
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "doomed", MeshEnvironment.ObjectSource(url)));
        await env.WaitForSyncedAsync(ns, "doomed", sha, diagnostics: env.Diagnostics);
        await env.WaitForEnvoyFilterAsync(ns, "doomed", sha);

        await env.Kubectl.RunAsync("delete", "aw", "doomed", "-n", ns);

        await Poll.UntilAsync(
            async () => await env.EnvoyFilters.TryGetAsync(ns, "doomed", TestContext.Current.CancellationToken) is null,
            $"EnvoyFilter {ns}/doomed to be deleted",
            diagnostics: env.Diagnostics);
        var remaining = await env.Kubectl.TryRunAsync(["get", "envoyfilter", "doomed", "-n", ns]);
        Assert.NotEqual(0, remaining.ExitCode);
        Assert.Contains("NotFound", remaining.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("doomed", await env.Kubectl.RunAsync("get", "aw", "-n", ns), StringComparison.Ordinal);
    }
}
