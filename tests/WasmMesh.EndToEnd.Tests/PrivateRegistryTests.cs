using System.Text;
using System.Text.Json.Nodes;
using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>(c) a private registry with Basic auth, read through a kubernetes.io/dockerconfigjson Secret.</summary>
public sealed class PrivateRegistryTests(SharedMesh mesh)
{
    [Fact]
    public async Task Apply_PrivateRegistryWithDockerRegistrySecret_SyncsWithoutCopyingCredentials()
    {
        var env = await mesh.GetAsync();
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Htpasswd = true }, TestContext.Current.CancellationToken);
        const string ns = "e2e-private";
        await env.CreateNamespaceAsync(ns);
        var user = registry.Options.Username;
        var password = registry.Options.Password;
        var dockerConfig = env.Directory.Combine("private-docker-config.json");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        await File.WriteAllTextAsync(dockerConfig, new JsonObject { ["auths"] = new JsonObject { [registry.Host] = new JsonObject { ["auth"] = auth } } }.ToJsonString(), TestContext.Current.CancellationToken);
        var moduleFile = env.Directory.Combine("private.wasm");
        var module = WasmModuleBuilder.Build(seed: 31);
        await File.WriteAllBytesAsync(moduleFile, module, TestContext.Current.CancellationToken);
        var sha = Digest.ComputeSha256(module).Hex;
        var image = $"{registry.Host}/team/private-filter:v1";
        await Wasmc.PushAsync(image, moduleFile, dockerConfig);

        // Without the secret the registry refuses: Failed, with the cause.
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "private", MeshEnvironment.RegistrySource(image)));
        var refused = await env.WaitForAutoWasmAsync(ns, "private", r => r.Status?.Phase == AutoWasmPhase.Failed, "Failed without credentials", diagnostics: env.Diagnostics);
        Assert.False(string.IsNullOrWhiteSpace(refused.Status!.Message));
        Assert.Null(await env.EnvoyFilters.TryGetAsync(ns, "private", TestContext.Current.CancellationToken));

        // kubectl create secret docker-registry, then name it in spec.secret.
        await env.Kubectl.RunAsync("create", "secret", "docker-registry", "regcred", "-n", ns, $"--docker-server={registry.Host}", $"--docker-username={user}", $"--docker-password={password}");
        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "private", MeshEnvironment.RegistrySource(image), secret: "regcred"));

        var synced = await env.WaitForSyncedAsync(ns, "private", sha, diagnostics: env.Diagnostics);
        Assert.Equal(Digest.Sha256Algorithm, synced.Status!.ManifestDigest?.Algorithm);
        var served = await env.Wasmer.Http.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(module, served);

        // No credential reaches the EnvoyFilter, the status or the events.
        var filterYaml = await env.Kubectl.RunAsync("get", "envoyfilter", "private", "-n", ns, "-o", "yaml");
        var statusYaml = await env.Kubectl.RunAsync("get", "aw", "private", "-n", ns, "-o", "yaml");
        var events = await env.Kubectl.RunAsync("get", "events", "-n", ns, "-o", "yaml");
        foreach (var text in new[] { filterYaml, statusYaml, events })
        {
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(auth, text, StringComparison.Ordinal);
        }

        Assert.Contains(sha, filterYaml, StringComparison.Ordinal);
    }
}
