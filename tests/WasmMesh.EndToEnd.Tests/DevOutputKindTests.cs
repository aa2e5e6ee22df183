using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>
/// <c>wasmer --dev</c> writes the output kind an AutoWasm asks for: a WasmPlugin that <c>kubectl get wasmplugin</c>
/// shows with the AutoWasm as owner, and switching <c>spec.output</c> replaces it.
/// </summary>
public sealed class DevOutputKindTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string AutoWasm(string output, Uri url) => $"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata:
          name: add-header
          namespace: default
        spec:
          output: {output}
          filter:
            applyPorts: [9080]
            rootID: add_header
            configuration: {"{"}header: x-dev{"}"}
            source:
              object:
                url: {url}
          selector:
            matchLabels:
              app: details
        """;

    [Fact]
    public async Task DevWasmer_OutputWasmPlugin_IsShownByKubectlWithOwner_AndSwitchingOutputReplacesIt()
    {
        var kubectlBinary = Kubectl.Require();
        var module = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "samples", "Modules", "add-header.wasm"), Ct);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(module));
        await using var objects = await HttpTestServer.StartAsync(Ct);
        var url = objects.Publish("filters/add-header.wasm", module);
        using var dir = new TempDirectory("wasmer-dev-e2e");
        await using var wasmer = await DevWasmer.StartAsync(dir.Path, Ct);
        var kubectl = new Kubectl(kubectlBinary, wasmer.Kubeconfig);

        await kubectl.ApplyAsync(AutoWasm("WasmPlugin", url));
        var plugin = await Poll.UntilAsync(
            async () =>
            {
                var result = await kubectl.TryRunAsync(["get", "wasmplugin", "add-header", "-n", "default", "-o", "json"]);
                return result.ExitCode == 0 ? JsonNode.Parse(result.StdOut) : null;
            },
            "the WasmPlugin",
            diagnostics: () => wasmer.Log);
        var uid = await kubectl.RunAsync("get", "aw", "add-header", "-n", "default", "-o", "jsonpath={.metadata.uid}");
        uid = uid.Trim();
        var owner = plugin["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal("AutoWasm", (string?)owner["kind"]);
        Assert.Equal(uid, (string?)owner["uid"]);
        Assert.True((bool?)owner["controller"]);
        Assert.Equal($"http://wasmer.istio-system.svc.cluster.local:8081/wasm/{sha}", (string?)plugin["spec"]!["url"]);
        Assert.Equal(sha, (string?)plugin["spec"]!["sha256"]);
        Assert.Equal("x-dev", (string?)plugin["spec"]!["pluginConfig"]!["header"]);
        Assert.Equal("add-header", (await kubectl.RunAsync("get", "wasmplugin", "-n", "default", "-o", "name")).Trim().Split('/')[^1]);
        await Poll.UntilAsync(async () => (await kubectl.RunAsync("get", "aw", "add-header", "-n", "default", "-o", "wide")).Contains("WasmPlugin", StringComparison.Ordinal), "the Output column", diagnostics: () => wasmer.Log);
        Assert.NotEqual(0, (await kubectl.TryRunAsync(["get", "envoyfilter", "add-header", "-n", "default"])).ExitCode);

        await kubectl.ApplyAsync(AutoWasm("EnvoyFilter", url));
        await Poll.UntilAsync(
            async () => (await kubectl.TryRunAsync(["get", "envoyfilter", "add-header", "-n", "default"])).ExitCode == 0
                        && (await kubectl.TryRunAsync(["get", "wasmplugin", "add-header", "-n", "default"])).ExitCode != 0,
            "the EnvoyFilter to replace the WasmPlugin",
            diagnostics: () => wasmer.Log);
        await Poll.UntilAsync(
            async () => (string?)JsonNode.Parse(await kubectl.RunAsync("get", "aw", "add-header", "-n", "default", "-o", "json"))!["status"]!["resource"]?["kind"] == "EnvoyFilter",
            "the status to name the EnvoyFilter",
            diagnostics: () => wasmer.Log);
        var status = JsonNode.Parse(await kubectl.RunAsync("get", "aw", "add-header", "-n", "default", "-o", "json"))!["status"]!;
        Assert.Equal("Synced", (string?)status["phase"]);
        Assert.Equal("add-header", (string?)status["envoyFilter"]);
    }

    /// <summary><c>wasmer --dev</c> run in its own working directory, its kubeconfig read from its output.</summary>
    private sealed class DevWasmer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();
        private readonly TaskCompletionSource<string> _kubeconfig = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private DevWasmer(Process process) => _process = process;

        public string Kubeconfig => _kubeconfig.Task.Result;

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public static async Task<DevWasmer> StartAsync(string directory, CancellationToken cancellationToken)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
            foreach (var argument in new[] { WasmerProcess.DllPath, "--dev", "--Wasmer:ServicePort=8081", $"--Wasmer:Port={FreePort.Next().ToString(CultureInfo.InvariantCulture)}", $"--Wasmer:CacheDirectory={Path.Combine(directory, "cache")}" })
            {
                psi.ArgumentList.Add(argument);
            }

            foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("WASMER", StringComparison.OrdinalIgnoreCase) || k == "KUBECONFIG").ToList())
            {
                psi.Environment.Remove(key);
            }

            var wasmer = new DevWasmer(new Process { StartInfo = psi });
            wasmer._process.OutputDataReceived += (_, e) => wasmer.Append(e.Data);
            wasmer._process.ErrorDataReceived += (_, e) => wasmer.Append(e.Data);
            wasmer._process.Start();
            wasmer._process.BeginOutputReadLine();
            wasmer._process.BeginErrorReadLine();
            try
            {
                await wasmer._kubeconfig.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            }
            catch (TimeoutException)
            {
                await wasmer.DisposeAsync();
                Assert.Fail("wasmer --dev printed no kubeconfig line:\n" + wasmer.Log);
            }

            return wasmer;
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (line.StartsWith("kubeconfig: ", StringComparison.Ordinal))
            {
                _kubeconfig.TrySetResult(line["kubeconfig: ".Length..].Trim());
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
