using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>(f) a tag pushed again with another module.</summary>
public sealed class TagMoveTests(SharedMesh mesh)
{
    [Fact]
    public async Task PushSameTag_NewModule_EnvoyFilterMovesToNewSha256()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-tag";
        await env.CreateNamespaceAsync(ns);
        var image = $"{env.Registry.Host}/e2e/moving:latest";
        var first = WasmModuleBuilder.Build(seed: 61);
        var second = WasmModuleBuilder.Build(seed: 62);
        var firstFile = env.Directory.Combine("tag-first.wasm");
        var secondFile = env.Directory.Combine("tag-second.wasm");
        await File.WriteAllBytesAsync(firstFile, first, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(secondFile, second, TestContext.Current.CancellationToken);
        var firstSha = Digest.ComputeSha256(first).Hex;
        var secondSha = Digest.ComputeSha256(second).Hex;
        var firstManifest = await Wasmc.PushAsync(image, firstFile);
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "moving", MeshEnvironment.RegistrySource(image)));
        await env.WaitForSyncedAsync(ns, "moving", firstSha, diagnostics: env.Diagnostics);
        await env.WaitForEnvoyFilterAsync(ns, "moving", firstSha);

        var secondManifest = await Wasmc.PushAsync(image, secondFile);

        // Re-resolved within one interval (5 s here): the EnvoyFilter and status move to the new module.
        var moved = await env.WaitForEnvoyFilterAsync(ns, "moving", secondSha, SharedMesh.TagResolveInterval * 4, env.Diagnostics);
        Assert.Equal(secondSha, MeshEnvironment.Sha256Of(moved));
        var synced = await env.WaitForSyncedAsync(ns, "moving", secondSha, diagnostics: env.Diagnostics);
        Assert.NotEqual(firstManifest, secondManifest);
        Assert.Equal(secondManifest, synced.Status!.ManifestDigest);
        var served = await env.Wasmer.Http.GetByteArrayAsync(new Uri($"/wasm/{secondSha}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(second, served);
        var events = await env.Kubectl.RunAsync("get", "events", "-n", ns, "-o", "jsonpath={.items[*].message}");
        Assert.Contains(secondSha, events, StringComparison.Ordinal);
    }
}
