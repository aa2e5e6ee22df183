using System.Text.RegularExpressions;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Support;

/// <summary>The wasmc CLI (samples/Wasmc, built before this project) as a real process.</summary>
internal static partial class Wasmc
{
    public static string DllPath => BuildOutput.Sample("Wasmc", "wasmc.dll");

    /// <summary><c>wasmc push REF -f FILE</c>; returns the manifest digest it printed.</summary>
    public static async Task<Digest> PushAsync(string reference, string file, string? registryConfig = null)
    {
        List<string> arguments = [DllPath, "push", reference, "-f", file];
        if (registryConfig is not null)
        {
            arguments.AddRange(["--registry-config", registryConfig]);
        }

        var result = await ProcessRunner.RunAsync(
            "dotnet",
            arguments,
            environment: new Dictionary<string, string?> { ["DOCKER_CONFIG"] = Path.GetTempPath() + "wasmmesh-e2e-no-docker-config" },
            timeout: TimeSpan.FromSeconds(60),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"wasmc push {reference} failed: {result}");
        Assert.Contains($"Pushed {reference}", result.StdOut, StringComparison.Ordinal);
        var match = DigestLine().Match(result.StdOut);
        Assert.True(match.Success, $"wasmc push printed no digest: {result}");
        return Digest.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@"^Digest: (sha256:[0-9a-f]{64})\s*$", RegexOptions.Multiline)]
    private static partial Regex DigestLine();
}
