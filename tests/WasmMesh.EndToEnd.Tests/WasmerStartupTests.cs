using System.Net;
using System.Net.Sockets;
using System.Reflection;
using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>wasmer's start-up: every bad setting is one line and exit code 2; start-up failures are one line, never a stack trace.</summary>
public sealed class WasmerStartupTests : IDisposable
{
    private readonly TempDirectory _home = new("wasmer-startup");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Help_ListsEverySettingWithItsDefault()
    {
        var result = await RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        var settings = Assembly.LoadFrom(WasmerProcess.DllPath).GetType("Wasmer.WasmerOptions", throwOnError: true)!
            .GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToArray();
        Assert.Contains("MaxModuleBytes", settings);
        var lines = result.StdOut.Split('\n');
        foreach (var setting in settings)
        {
            var index = Array.FindIndex(lines, l => l.StartsWith($"  {setting} ", StringComparison.Ordinal));
            Assert.True(index >= 0, $"--help does not list {setting}:\n{result.StdOut}");
            Assert.StartsWith("default: ", lines[index + 1].Trim(), StringComparison.Ordinal);
        }

        Assert.Contains("default: 268435456", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("default: 00:05:00", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSettings_OneLineEach_ExitCode2()
    {
        var result = await RunAsync(
            "--Wasmer:Port=70000",
            "--Wasmer:Prot=8081",
            "--Wasmer:CacheBudgetBytes=lots",
            "--Wasmer:TagResolveInterval=00:00:01",
            "--Wasmer:Kubeconfig=/nonexistent/kubeconfig",
            "--Wasmer:ListenAddress=localhost");

        Assert.Equal(2, result.ExitCode);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "wasmer: Wasmer:CacheBudgetBytes: 'lots' is not a whole number",
                "wasmer: Wasmer:Kubeconfig: the file '/nonexistent/kubeconfig' does not exist",
                "wasmer: Wasmer:ListenAddress: 'localhost' is not an IP address; use e.g. 0.0.0.0, 127.0.0.1, :: or *",
                "wasmer: Wasmer:Port: 70000 is not a TCP port; use 1-65535",
                "wasmer: Wasmer:Prot: unknown setting (did you mean Wasmer:Port?); 'wasmer --help' lists every setting",
                "wasmer: Wasmer:TagResolveInterval: 00:00:01 is too short; use at least 00:00:05",
            ],
            lines.Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task LeaseTimings_OutOfOrder_AreRejected()
    {
        var result = await RunAsync("--dev", "--Wasmer:LeaseDuration=00:00:05", "--Wasmer:RenewDeadline=00:00:08");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("wasmer: Wasmer:LeaseDuration: 00:00:05 must be greater than RenewDeadline (00:00:08)\n", result.StdErr);
    }

    [Fact]
    public async Task UnknownArgument_IsAnError()
    {
        var result = await RunAsync("--port=8081");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("wasmer: unknown argument '--port=8081'; settings are passed as --Wasmer:Key=value ('wasmer --help' lists them)\n", result.StdErr);
    }

    [Fact]
    public async Task NoKubernetesConfiguration_OneLine_ExitCode2()
    {
        var result = await RunAsync("--Wasmer:Port=18081");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("wasmer: no Kubernetes configuration: set --Wasmer:Kubeconfig=PATH or KUBECONFIG, create ~/.kube/config, run in a cluster, or try --dev\n", result.StdErr);
    }

    [Fact]
    public async Task PortInUse_OneLine_NoStackTrace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await RunAsync("--dev", $"--Wasmer:Port={port}", $"--Wasmer:CacheDirectory={_home.Combine("cache")}");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"wasmer: cannot listen on port {port}: it is already in use; stop the other process or choose another with --Wasmer:Port=N\n", result.StdErr);
        Assert.DoesNotContain("   at ", result.StdOut, StringComparison.Ordinal);
    }

    private Task<ProcessRunner.Result> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(
            "dotnet",
            [WasmerProcess.DllPath, .. arguments],
            environment: new Dictionary<string, string?>
            {
                ["HOME"] = _home.Path,
                ["KUBECONFIG"] = null,
                ["KUBERNETES_SERVICE_HOST"] = null,
                ["WASMER__PORT"] = null,
            },
            workingDirectory: _home.Path,
            timeout: TimeSpan.FromSeconds(60),
            cancellationToken: TestContext.Current.CancellationToken);
}
