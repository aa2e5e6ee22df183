using System.Diagnostics;
using Wasmc.Tests.Registry;
using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.NativeAot;

/// <summary>
/// The Native AOT <c>wasmc</c> binary under test. <c>WASMC_AOT_BINARY</c> names an already published binary (CI publishes
/// it before the tests); when it is unset the fixture publishes one itself, once, into a temporary directory
/// (<c>dotnet publish samples/Wasmc -c Release -r linux-x64</c>, as the README says).
/// </summary>
public sealed class NativeWasmc : IAsyncLifetime
{
    /// <summary>The environment variable naming a published binary.</summary>
    public const string Variable = "WASMC_AOT_BINARY";

    private TempDirectory? _publishDir;
    private string? _path;
    private string? _failure;

    /// <summary>The binary; fails the calling test when it could not be found or published.</summary>
    public string Path => _path ?? throw new InvalidOperationException(_failure ?? "the Native AOT wasmc was not prepared");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var named = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(named))
        {
            if (File.Exists(named))
            {
                _path = System.IO.Path.GetFullPath(named);
            }
            else
            {
                _failure = $"{Variable}={named}: no such file (publish it with: dotnet publish samples/Wasmc -c Release -r linux-x64 -o DIR)";
            }

            return;
        }

        _publishDir = new TempDirectory("wasmc-aot");
        var dotnet = ExternalBinary.Find("dotnet") ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Environment.ProcessPath)!, "dotnet");
        var publish = await ProcessRunner.RunAsync(
            dotnet,
            ["publish", System.IO.Path.Combine(RepoPaths.Root, "samples", "Wasmc"), "-c", "Release", "-r", "linux-x64", "-o", _publishDir.Path, "-nologo", "--disable-build-servers"],
            environment: new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            workingDirectory: RepoPaths.Root,
            timeout: TimeSpan.FromMinutes(15));
        var binary = _publishDir.Combine("wasmc");
        if (publish.ExitCode != 0 || !File.Exists(binary))
        {
            _failure = "dotnet publish of the Native AOT wasmc failed:\n" + publish;
            return;
        }

        _path = binary;
    }

    /// <summary>Runs the binary to completion and captures its exact output bytes as text.</summary>
    internal async Task<WasmcRun.Result> RunAsync(string[] args, string? stdin = null, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardInput.WriteAsync(stdin ?? string.Empty);
        process.StandardInput.Close();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"wasmc {string.Join(' ', args)} did not finish in time");
        }

        return new WasmcRun.Result(process.ExitCode, await stdout, await stderr);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _publishDir?.Dispose();
        return ValueTask.CompletedTask;
    }
}
