using System.Text.RegularExpressions;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests.Infrastructure;

/// <summary><c>wasmc generate-key</c> and <c>wasmc sign</c> as real processes.</summary>
internal static partial class Wasmc
{
    /// <summary><c>wasmc generate-key --output-key-prefix PREFIX</c> (no password); returns the key id it printed.</summary>
    public static async Task<string> GenerateKeyAsync(string prefix)
    {
        var result = await RunAsync(["generate-key", "--output-key-prefix", prefix]);
        return KeyIdLine().Match(result.StdOut) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"wasmc generate-key printed no key id: {result}");
    }

    /// <summary><c>wasmc sign --key KEY REF</c>; returns the key id it printed.</summary>
    public static async Task<string> SignAsync(string reference, string privateKey)
    {
        var result = await RunAsync(["sign", "--key", privateKey, reference]);
        Assert.Contains("Signed ", result.StdOut, StringComparison.Ordinal);
        return KeyIdLine().Match(result.StdOut) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"wasmc sign printed no key id: {result}");
    }

    private static async Task<ProcessRunner.Result> RunAsync(IReadOnlyList<string> arguments)
    {
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [DllPath, .. arguments],
            environment: new Dictionary<string, string?> { ["DOCKER_CONFIG"] = Path.GetTempPath() + "wasmmesh-e2e-no-docker-config", ["COSIGN_PASSWORD"] = null },
            timeout: TimeSpan.FromSeconds(60),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"wasmc {string.Join(' ', arguments)} failed: {result}");
        return result;
    }

    [GeneratedRegex(@"^Key id: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KeyIdLine();
}
