using k8s;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using WasmMesh.Kubernetes;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Testing.Tests;

/// <summary>The real kubectl against the test server, with nothing but the kubeconfig the server wrote.</summary>
public sealed class KubectlTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private const string AutoWasmTemplate = """
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata:
          name: NAME
          namespace: NS
        spec:
          filter:
            applyPorts: [9080]
            rootID: test
            vmID: test
            source:
              registry: {image: registry.example.com/team/wasm-add-header:TAG}
          secret: test
          selector:
            matchLabels: {app: details}
        """;

    private static string AutoWasm(string ns, string name, string tag = "v0.3") =>
        AutoWasmTemplate.Replace("NAME", name, StringComparison.Ordinal).Replace("NS", ns, StringComparison.Ordinal).Replace("TAG", tag, StringComparison.Ordinal);

    private async Task<(string Kubectl, string Ns)> PrepareAsync()
    {
        var kubectl = ExternalBinary.Require("kubectl", "kubectl");
        var ns = fixture.NewNamespaceName();
        await fixture.KubectlAsync(kubectl, ["apply", "-f", KubectlFixture.AutoWasmCrd, "-f", KubectlFixture.IstioCrds]);
        await fixture.KubectlAsync(kubectl, ["create", "namespace", ns]);
        return (kubectl, ns);
    }

    [Fact]
    public async Task ApplyThenGetAw_ClientSideApply_ShowsThePrinterColumns()
    {
        var (kubectl, ns) = await PrepareAsync();

        var created = await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], AutoWasm(ns, "test"));
        var again = await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], AutoWasm(ns, "test"));
        var get = await fixture.KubectlAsync(kubectl, ["get", "aw", "-n", ns]);

        Assert.Contains("autowasm.wasm.tcm.io/test created", created.StdOut, StringComparison.Ordinal);
        Assert.Contains("autowasm.wasm.tcm.io/test unchanged", again.StdOut, StringComparison.Ordinal);
        var lines = get.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "SECRET", "MATCH", "SOURCE", "APPLYPORTS", "TIME", "PHASE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["test", "test", "{\"app\":\"details\"}", "{\"registry\":{\"image\":\"registry.example.com/team/wasm-add-header:v0.3\"}}", "[9080]"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ApplyChangedFile_ClientSideApply_PatchesAndBumpsGeneration()
    {
        var (kubectl, ns) = await PrepareAsync();
        await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], AutoWasm(ns, "gen"));

        var changed = await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], AutoWasm(ns, "gen", "v0.4"));
        var yaml = await fixture.KubectlAsync(kubectl, ["get", "aw", "gen", "-n", ns, "-o", "jsonpath={.metadata.generation} {.spec.filter.source.registry.image}"]);

        Assert.Contains("autowasm.wasm.tcm.io/gen configured", changed.StdOut, StringComparison.Ordinal);
        Assert.Equal("2 registry.example.com/team/wasm-add-header:v0.4", yaml.StdOut.Trim());
    }

    [Fact]
    public async Task GetAwOutputYaml_ShowsServerMetadataSpecAndStatus()
    {
        var (kubectl, ns) = await PrepareAsync();
        await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], AutoWasm(ns, "test"));
        using var client = new k8s.Kubernetes(fixture.Server.ClientConfiguration);
        var autowasms = client.Generic(new KubernetesResourceType { Group = "wasm.tcm.io", Version = "v1alpha1", Plural = "autowasms", Kind = "AutoWasm" });
        await autowasms.PatchStatusAsync(ns, "test", KubernetesPatch.Merge("""{"status":{"phase":"Synced","lastSyncTime":"2021-10-27T10:00:36Z"}}"""), cancellationToken: TestContext.Current.CancellationToken);

        var yaml = (await fixture.KubectlAsync(kubectl, ["get", "aw", "test", "-n", ns, "-o", "yaml"])).StdOut;
        var table = (await fixture.KubectlAsync(kubectl, ["get", "aw", "test", "-n", ns])).StdOut;

        Assert.Contains("apiVersion: wasm.tcm.io/v1alpha1", yaml, StringComparison.Ordinal);
        Assert.Contains("kind: AutoWasm", yaml, StringComparison.Ordinal);
        Assert.Contains("generation: 1", yaml, StringComparison.Ordinal);
        Assert.Contains("uid: ", yaml, StringComparison.Ordinal);
        Assert.Contains("resourceVersion: ", yaml, StringComparison.Ordinal);
        Assert.Contains("image: registry.example.com/team/wasm-add-header:v0.3", yaml, StringComparison.Ordinal);
        Assert.Contains("phase: Synced", yaml, StringComparison.Ordinal);
        Assert.EndsWith("2021-10-27T10:00:36Z   Synced", table.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyServerSide_ConflictWithClientSideManager_NeedsForceConflicts()
    {
        var (kubectl, ns) = await PrepareAsync();
        var first = await fixture.KubectlAsync(kubectl, ["apply", "--server-side", "-f", "-"], AutoWasm(ns, "ssa"));
        Assert.Contains("autowasm.wasm.tcm.io/ssa serverside-applied", first.StdOut, StringComparison.Ordinal);

        await fixture.KubectlAsync(kubectl, ["apply", "--server-side", "--field-manager", "other", "-f", "-"], AutoWasm(ns, "ssa"));
        var conflict = await fixture.KubectlAsync(kubectl, ["apply", "--server-side", "--field-manager", "other", "-f", "-"], AutoWasm(ns, "ssa", "v0.5"), check: false);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict with \"kubectl\"", conflict.StdErr, StringComparison.Ordinal);
        Assert.Contains(".spec.filter.source.registry.image", conflict.StdErr, StringComparison.Ordinal);

        await fixture.KubectlAsync(kubectl, ["apply", "--server-side", "--force-conflicts", "--field-manager", "other", "-f", "-"], AutoWasm(ns, "ssa", "v0.5"));
        var managed = await fixture.KubectlAsync(kubectl, ["get", "aw", "ssa", "-n", ns, "-o", "json", "--show-managed-fields"]);
        using var doc = JsonDocument.Parse(managed.StdOut);
        Assert.Equal("registry.example.com/team/wasm-add-header:v0.5", doc.RootElement.GetProperty("spec").GetProperty("filter").GetProperty("source").GetProperty("registry").GetProperty("image").GetString());
        var managers = doc.RootElement.GetProperty("metadata").GetProperty("managedFields").EnumerateArray().Select(e => (e.GetProperty("manager").GetString(), e.GetProperty("operation").GetString())).ToList();
        Assert.Contains(("kubectl", "Apply"), managers);
        Assert.Contains(("other", "Apply"), managers);
    }

    [Fact]
    public async Task GetEnvoyFilterOutputYaml_AfterServerSideApply_ShowsTheSpec()
    {
        var (kubectl, ns) = await PrepareAsync();
        var envoyFilter = $$$"""
            apiVersion: networking.istio.io/v1alpha3
            kind: EnvoyFilter
            metadata: {name: test, namespace: {{{ns}}}}
            spec:
              workloadSelector: {labels: {app: details}}
              configPatches:
              - applyTo: HTTP_FILTER
                match: {context: SIDECAR_INBOUND, listener: {portNumber: 9080}}
                patch:
                  operation: INSERT_BEFORE
                  value:
                    name: envoy.filters.http.wasm
                    typedConfig: {'@type': type.googleapis.com/udpa.type.v1.TypedStruct}
            """;
        await fixture.KubectlAsync(kubectl, ["apply", "--server-side", "-f", "-"], envoyFilter);

        var yaml = (await fixture.KubectlAsync(kubectl, ["get", "envoyfilter", "test", "-n", ns, "-o", "yaml"])).StdOut;

        Assert.Contains("apiVersion: networking.istio.io/v1alpha3", yaml, StringComparison.Ordinal);
        Assert.Contains("kind: EnvoyFilter", yaml, StringComparison.Ordinal);
        Assert.Contains("'@type': type.googleapis.com/udpa.type.v1.TypedStruct", yaml, StringComparison.Ordinal);
        Assert.Contains("portNumber: 9080", yaml, StringComparison.Ordinal);
        Assert.Contains("app: details", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteFile_RemovesTheObject()
    {
        var (kubectl, ns) = await PrepareAsync();
        var manifest = AutoWasm(ns, "gone");
        await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], manifest);

        var deleted = await fixture.KubectlAsync(kubectl, ["delete", "-f", "-"], manifest);
        var get = await fixture.KubectlAsync(kubectl, ["get", "aw", "gone", "-n", ns], check: false);

        Assert.Contains("autowasm.wasm.tcm.io \"gone\" deleted", deleted.StdOut, StringComparison.Ordinal);
        Assert.NotEqual(0, get.ExitCode);
        Assert.Contains("NotFound", get.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAwWatch_ChangesArriveAsRows()
    {
        var (kubectl, ns) = await PrepareAsync();
        await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], AutoWasm(ns, "first"));
        var psi = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "get", "aw", "-n", ns, "-w" })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in fixture.Environment)
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        try
        {
            string Text()
            {
                lock (output)
                {
                    return output.ToString();
                }
            }

            await WaitForAsync(() => Text().Contains("first", StringComparison.Ordinal));
            await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], AutoWasm(ns, "second"));
            await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], AutoWasm(ns, "first", "v9.9"));
            await WaitForAsync(() => Text().Contains("second", StringComparison.Ordinal) && Text().Contains("v9.9", StringComparison.Ordinal));

            var lines = Text().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
            Assert.Single(lines, l => l.StartsWith("NAME", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("second ", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("first ", StringComparison.Ordinal) && l.Contains("v9.9", StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task CreateSecretDockerRegistry_StoresADockerConfigJsonSecret()
    {
        var (kubectl, ns) = await PrepareAsync();

        var result = await fixture.KubectlAsync(kubectl, ["create", "secret", "docker-registry", "regcred", "-n", ns, "--docker-server=registry.example.com", "--docker-username=robot", "--docker-password=p4ss"]);
        var listed = await fixture.KubectlAsync(kubectl, ["get", "secrets", "-n", ns]);

        Assert.Contains("secret/regcred created", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/dockerconfigjson", listed.StdOut, StringComparison.Ordinal);
        using var client = new k8s.Kubernetes(fixture.Server.ClientConfiguration);
        var secret = await client.CoreV1.ReadNamespacedSecretAsync("regcred", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("kubernetes.io/dockerconfigjson", secret.Type);
        using var config = JsonDocument.Parse(secret.Data![".dockerconfigjson"]);
        var auth = config.RootElement.GetProperty("auths").GetProperty("registry.example.com");
        Assert.Equal("robot", auth.GetProperty("username").GetString());
        Assert.Equal("robot:p4ss", Encoding.UTF8.GetString(Convert.FromBase64String(auth.GetProperty("auth").GetString()!)));
    }

    [Fact]
    public async Task ApplyWasmPluginCrd_ThenGet_ServesTheNewResource()
    {
        var (kubectl, ns) = await PrepareAsync();
        var plugin = $$$"""
            apiVersion: extensions.istio.io/v1alpha1
            kind: WasmPlugin
            metadata: {name: add-header, namespace: {{{ns}}}}
            spec:
              selector: {matchLabels: {app: details}}
              url: oci://registry.example.com/add-header:v1
            """;
        await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], plugin);

        var get = await fixture.KubectlAsync(kubectl, ["get", "wasmplugins", "-n", ns]);
        var crds = await fixture.KubectlAsync(kubectl, ["get", "crd"]);

        Assert.Equal(["NAME", "AGE"], get.StdOut.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("add-header", get.StdOut.Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains("wasmplugins.extensions.istio.io", crds.StdOut, StringComparison.Ordinal);
        Assert.Contains("autowasms.wasm.tcm.io", crds.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyBadAutoWasm_FailsWithTheFieldPathsAndStoresNothing()
    {
        var (kubectl, ns) = await PrepareAsync();
        var bad = AutoWasm(ns, "bad").Replace("    vmID: test", "    vmID: test\n    phase: EARLY\n    priority: high", StringComparison.Ordinal);

        var apply = await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], bad, check: false);
        var get = await fixture.KubectlAsync(kubectl, ["get", "aw", "bad", "-n", ns], check: false);

        Assert.NotEqual(0, apply.ExitCode);
        Assert.Contains("The AutoWasm \"bad\" is invalid:", apply.StdErr, StringComparison.Ordinal);
        Assert.Contains("spec.filter.phase: Unsupported value: \"EARLY\": supported values: \"AUTHN\", \"AUTHZ\", \"STATS\"", apply.StdErr, StringComparison.Ordinal);
        Assert.Contains("spec.filter.priority: Invalid value: \"string\": spec.filter.priority in body must be of type integer: \"string\"", apply.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(0, get.ExitCode);
        Assert.Contains("NotFound", get.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAutoWasmWithUnknownField_StrictByDefault_WarnPrunes_AndGetDoesNotShowIt()
    {
        var (kubectl, ns) = await PrepareAsync();
        var withColor = AutoWasm(ns, "colored").Replace("    vmID: test", "    vmID: test\n    color: red", StringComparison.Ordinal);

        var strict = await fixture.KubectlAsync(kubectl, ["apply", "-f", "-"], withColor, check: false);
        var warn = await fixture.KubectlAsync(kubectl, ["apply", "--validate=warn", "-f", "-"], withColor);
        var get = await fixture.KubectlAsync(kubectl, ["get", "aw", "colored", "-n", ns, "-o", "json"]);

        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.filter.color\"", strict.StdErr, StringComparison.Ordinal);
        Assert.Contains("Warning: unknown field \"spec.filter.color\"", warn.StdErr, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(get.StdOut);
        var filter = doc.RootElement.GetProperty("spec").GetProperty("filter");
        Assert.False(filter.TryGetProperty("color", out _));
        Assert.Equal("test", filter.GetProperty("rootID").GetString());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "kubectl did not print the expected output within 10 s");
    }
}
