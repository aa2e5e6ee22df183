using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>(a) wasmc push → kubectl apply → the reference EnvoyFilter, the module served, Synced.</summary>
public sealed class RegistrySourceTests(SharedMesh mesh)
{
    [Fact]
    public async Task Apply_RegistrySourcePushedWithWasmc_WritesReferenceEnvoyFilterServesModuleAndShowsSynced()
    {
        var module = RepoPaths.Fixture(RepoPaths.AddConfiguredHeader);
        var env = await mesh.GetAsync();
        const string ns = "e2e-registry";
        await env.CreateNamespaceAsync(ns);
        var image = $"{env.Registry.Host}/e2e/add-header:v0.3";
        var manifestDigest = await Wasmc.PushAsync(image, module);

        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "test", MeshEnvironment.RegistrySource(image)));

        var synced = await env.WaitForSyncedAsync(ns, "test", RepoPaths.AddConfiguredHeaderSha256, diagnostics: env.Diagnostics);
        Assert.Equal(manifestDigest, synced.Status!.ManifestDigest);
        Assert.Equal("test", synced.Status.EnvoyFilter);

        // The EnvoyFilter is exactly the reference output (FACTS §1) with this module's sha256, as kubectl prints it.
        var yaml = await env.Kubectl.RunAsync("get", "envoyfilter", "test", "-n", ns, "-o", "yaml");
        var reference = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "WasmMesh.Istio.Tests", "Cases", "reference", "expected.yaml"), TestContext.Current.CancellationToken);
        // wasmer's default configuration adds a bounded fetch retry policy (5 retries, 1 s to 30 s back-off) to it.
        var expectedSpec = TopLevelBlock(reference, "spec").Replace("750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f", RepoPaths.AddConfiguredHeaderSha256, StringComparison.Ordinal)
            .Replace("                    sha256: ", "                    retryPolicy:\n                      numRetries: 5\n                      retryBackOff:\n                        baseInterval: 1s\n                        maxInterval: 30s\n                    sha256: ", StringComparison.Ordinal);
        Assert.Equal(expectedSpec, TopLevelBlock(yaml, "spec"));
        Assert.Contains("kind: AutoWasm", TopLevelBlock(yaml, "metadata"), StringComparison.Ordinal); // owner reference

        // Every byte served at /wasm/<sha256> is the pushed module's.
        var served = await env.Wasmer.Http.GetByteArrayAsync(new Uri($"/wasm/{RepoPaths.AddConfiguredHeaderSha256}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(await File.ReadAllBytesAsync(module, TestContext.Current.CancellationToken), served);

        // kubectl get aw shows the reference columns and Synced.
        var table = await env.Kubectl.RunAsync("get", "aw", "-n", ns);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "SECRET", "MATCH", "SOURCE", "APPLYPORTS", "TIME", "PHASE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("test", row[0]);
        Assert.Equal("Synced", row[^1]);
        Assert.Contains("{\"app\":\"details\"}", lines[1], StringComparison.Ordinal);
        Assert.Contains($"{{\"registry\":{{\"image\":\"{image}\"}}}}", lines[1], StringComparison.Ordinal);
        Assert.Contains("[9080]", lines[1], StringComparison.Ordinal);
    }

    /// <summary>The lines of one top-level key of a YAML document (the key line and its indented block).</summary>
    internal static string TopLevelBlock(string yaml, string key)
    {
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l == key + ":" || l.StartsWith(key + ": ", StringComparison.Ordinal));
        Assert.True(start >= 0, $"no top-level '{key}' in\n{yaml}");
        var end = start + 1;
        while (end < lines.Length && (lines[end].StartsWith(' ') || lines[end].StartsWith('-')))
        {
            end++;
        }

        return string.Join('\n', lines[start..end]) + "\n";
    }
}
