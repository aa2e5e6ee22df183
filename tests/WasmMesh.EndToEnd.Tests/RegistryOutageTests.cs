using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>(e) the registry goes down and comes back.</summary>
public sealed class RegistryOutageTests(SharedMesh mesh)
{
    [Fact]
    public async Task RegistryDown_TagReresolution_StaysSyncedWithSourceUnreachableAndEnvoyFilterUntouchedThenRecovers()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-outage";
        await env.CreateNamespaceAsync(ns);

        // The registry is reached through a forwarder on a fixed port: stopping it is, for wasmer, the registry going
        // down (connection refused); starting it again brings back the same registry on the same port and storage.
        await using var registry = new TcpForwarder(env.Registry.Port);
        registry.Start();
        var module = WasmModuleBuilder.Build(seed: 51);
        var moduleFile = env.Directory.Combine("outage.wasm");
        await File.WriteAllBytesAsync(moduleFile, module, TestContext.Current.CancellationToken);
        var sha = Digest.ComputeSha256(module).Hex;
        var image = $"{registry.Host}/e2e/outage:v1";
        await Wasmc.PushAsync(image, moduleFile);
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "outage", MeshEnvironment.RegistrySource(image)));
        var synced = await env.WaitForSyncedAsync(ns, "outage", sha, diagnostics: env.Diagnostics);
        var filter = await env.WaitForEnvoyFilterAsync(ns, "outage", sha);

        await registry.StopAsync();

        // The next tag re-resolution (every 5 s) fails: the AutoWasm stays Synced (its module and EnvoyFilter are intact)
        // and says so in the condition SourceReachable=False with the cause; digests kept, EnvoyFilter untouched.
        var failed = await env.WaitForAutoWasmAsync(
            ns,
            "outage",
            r => r.Status?.Conditions.Any(c => c.Type == "SourceReachable" && c.Status == "False") == true,
            "SourceReachable=False while the registry is down",
            diagnostics: env.Diagnostics);
        Assert.Equal(AutoWasmPhase.Synced, failed.Status!.Phase);
        var unreachable = Assert.Single(failed.Status.Conditions, c => c.Type == "SourceReachable");
        Assert.Equal("SourceUnavailable", unreachable.Reason);
        Assert.Contains(registry.Host, unreachable.Message, StringComparison.Ordinal);
        Assert.Equal("True", Assert.Single(failed.Status.Conditions, c => c.Type == "Ready").Status);
        Assert.Equal(sha, failed.Status.Sha256?.Hex);
        Assert.Equal(synced.Status!.ManifestDigest, failed.Status.ManifestDigest);
        var during = await env.EnvoyFilters.GetAsync(ns, "outage", TestContext.Current.CancellationToken);
        Assert.Equal(filter.Metadata.ResourceVersion, during.Metadata.ResourceVersion);

        // Sidecars keep loading the last good module meanwhile.
        var served = await env.Wasmer.Http.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(module, served);

        registry.Start();

        // The backoff retry (no spec change, no new event) brings it back to Synced; the EnvoyFilter never changed.
        var recovered = await env.WaitForAutoWasmAsync(
            ns,
            "outage",
            r => r.Status?.Phase == AutoWasmPhase.Synced && r.Status.Sha256?.Hex == sha && r.Status.Conditions.All(c => c.Type != "SourceReachable"),
            "Synced with the source reachable again",
            diagnostics: env.Diagnostics);
        Assert.Equal(synced.Status.ManifestDigest, recovered.Status!.ManifestDigest);
        Assert.Equal(failed.Metadata.Generation, recovered.Metadata.Generation);
        var after = await env.EnvoyFilters.GetAsync(ns, "outage", TestContext.Current.CancellationToken);
        Assert.Equal(filter.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }
}
