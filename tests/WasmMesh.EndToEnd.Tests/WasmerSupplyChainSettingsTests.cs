using WasmMesh.TestSupport;
using WasmMesh.EndToEnd.Tests.Infrastructure;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>wasmer's mirror and endpoint protection settings: each problem is one line naming the setting, exit code 2.</summary>
public sealed class WasmerSupplyChainSettingsTests : IDisposable
{
    private readonly TempDirectory _home = new("wasmer-supply-settings");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task BadProtectionAndMirrorSettings_OneLineEach_ExitCode2()
    {
        var result = await RunAsync(
            "--dev",
            "--Wasmer:RequireModuleToken=true",
            "--Wasmer:ModuleTokenPreviousKeyValidity=00:01:00",
            "--Wasmer:MirrorsFile=/nonexistent/mirrors.yaml",
            "--Wasmer:MirrorHostsDirectory=/nonexistent/certs.d");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [
                "wasmer: Wasmer:MirrorHostsDirectory: '/nonexistent/certs.d' is not a directory",
                "wasmer: Wasmer:MirrorsFile: the file '/nonexistent/mirrors.yaml' does not exist",
                "wasmer: Wasmer:ModuleTokenKeyFile: required with RequireModuleToken; point it at a key file (e.g. a Secret volume holding 'openssl rand -base64 48')",
                "wasmer: Wasmer:ModuleTokenPreviousKeyValidity: 00:01:00 must be longer than TagResolveInterval (00:05:00), the longest an output waits to be rewritten with a new token",
            ],
            result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task MalformedMirrorsFile_OneLineNamingTheSetting_NothingStarted()
    {
        var file = Path.Combine(_home.Path, "mirrors.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nspec:\n  imageDigestMirrors:\n  - source: 'https://registry.example.com'\n    mirrors: [registry.internal]\n", TestContext.Current.CancellationToken);

        var result = await RunAsync("--dev", $"--Wasmer:MirrorsFile={file}");

        Assert.Equal(2, result.ExitCode);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith($"wasmer: Wasmer:MirrorsFile: {file}", line, StringComparison.Ordinal);
        Assert.Contains("https://registry.example.com", line, StringComparison.Ordinal);
        Assert.DoesNotContain("kubeconfig", result.StdOut, StringComparison.Ordinal);
    }

    private Task<ProcessRunner.Result> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(
            "dotnet",
            [WasmerProcess.DllPath, .. arguments],
            environment: new Dictionary<string, string?> { ["HOME"] = _home.Path, ["KUBECONFIG"] = null, ["KUBERNETES_SERVICE_HOST"] = null },
            workingDirectory: _home.Path,
            timeout: TimeSpan.FromSeconds(60),
            cancellationToken: TestContext.Current.CancellationToken);
}
