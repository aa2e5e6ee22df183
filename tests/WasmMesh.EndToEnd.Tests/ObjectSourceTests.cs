using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>(b) an AutoWasm whose module is a public object URL.</summary>
public sealed class ObjectSourceTests(SharedMesh mesh)
{
    [Fact]
    public async Task Apply_ObjectUrlSource_WritesEnvoyFilterAndServesExactBytes()
    {
        var module = await File.ReadAllBytesAsync(RepoPaths.Fixture(RepoPaths.AddHeader), TestContext.Current.CancellationToken);
        var env = await mesh.GetAsync();
        const string ns = "e2e-object";
        await env.CreateNamespaceAsync(ns);
        var url = env.Objects.Publish("filters/e2e-object/add-header.wasm", module);

        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "add-header", MeshEnvironment.ObjectSource(url)));

        var synced = await env.WaitForSyncedAsync(ns, "add-header", RepoPaths.AddHeaderSha256, diagnostics: env.Diagnostics);
        Assert.Null(synced.Status!.ManifestDigest);
        var filter = await env.WaitForEnvoyFilterAsync(ns, "add-header", RepoPaths.AddHeaderSha256);
        var owner = Assert.Single(filter.Metadata.OwnerReferences!);
        Assert.Equal(synced.Metadata.Uid, owner.Uid);
        var served = await env.Wasmer.Http.GetByteArrayAsync(new Uri($"/wasm/{RepoPaths.AddHeaderSha256}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(module, served);
        Assert.Contains("Synced", await env.Kubectl.RunAsync("get", "aw", "add-header", "-n", ns), StringComparison.Ordinal);
    }
}
