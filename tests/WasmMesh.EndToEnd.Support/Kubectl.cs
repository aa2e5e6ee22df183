using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Support;

/// <summary>The real kubectl, pointed at a kubeconfig.</summary>
internal sealed class Kubectl
{
    private readonly string _binary;
    private readonly string _kubeconfig;
    private readonly string _cacheDirectory;

    /// <summary>kubectl with a kubeconfig; its discovery cache goes beside the kubeconfig (not into ~/.kube/cache).</summary>
    public Kubectl(string binary, string kubeconfig)
    {
        _binary = binary;
        _kubeconfig = kubeconfig;
        _cacheDirectory = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "kubectl-cache");
    }

    /// <summary>kubectl, or skips the calling test when it is not installed.</summary>
    public static string Require() => ExternalBinary.Require("kubectl", "kubectl");

    public Task<ProcessRunner.Result> TryRunAsync(IEnumerable<string> arguments, string? stdin = null)
        => ProcessRunner.RunAsync(
            _binary,
            arguments,
            stdin,
            new Dictionary<string, string?> { ["KUBECONFIG"] = _kubeconfig, ["KUBECACHEDIR"] = _cacheDirectory },
            timeout: TimeSpan.FromSeconds(60),
            cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Runs kubectl and returns its standard output; fails the test on a non-zero exit.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        var result = await TryRunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} failed: {result}");
        return result.StdOut;
    }

    /// <summary><c>kubectl apply -f -</c> with the YAML on standard input.</summary>
    public async Task<string> ApplyAsync(string yaml)
    {
        var result = await TryRunAsync(["apply", "-f", "-"], yaml);
        Assert.True(result.ExitCode == 0, $"kubectl apply failed: {result}\n--- manifest\n{yaml}");
        return result.StdOut;
    }
}
