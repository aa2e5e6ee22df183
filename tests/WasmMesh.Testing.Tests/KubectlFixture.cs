using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Testing.Tests;

/// <summary>One test server, a temporary HOME (kubectl's discovery cache) and a kubeconfig written by the server.</summary>
public sealed class KubectlFixture : IAsyncLifetime
{
    private readonly TempDirectory _home = new("kubectl-home");
    private int _counter;

    public KubernetesTestServer Server { get; } = new();

    public string Kubeconfig => _home.Combine("kubeconfig");

    public static string AutoWasmCrd => Path.Combine(RepoPaths.Root, "src", "WasmMesh.Model", "Crds", "autowasms.wasm.tcm.io.yaml");

    public static string IstioCrds => Path.Combine(RepoPaths.Root, "src", "WasmMesh.Istio", "Crds");

    public async ValueTask InitializeAsync()
    {
        await Server.StartAsync();
        await Server.WriteKubeconfigAsync(Kubeconfig);
    }

    public string NewNamespaceName() => $"k{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";

    public Dictionary<string, string?> Environment => new()
    {
        ["KUBECONFIG"] = Kubeconfig,
        ["HOME"] = _home.Path,
        ["KUBECTL_KUBERC"] = "false",
    };

    public async Task<ProcessRunner.Result> KubectlAsync(string kubectl, string[] args, string? stdin = null, bool check = true)
    {
        var result = await ProcessRunner.RunAsync(kubectl, args, stdin, Environment, _home.Path, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        if (check)
        {
            Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {result}");
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _home.Dispose();
    }
}
