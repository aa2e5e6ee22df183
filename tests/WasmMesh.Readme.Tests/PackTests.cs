using System.IO.Compression;
using System.Xml.Linq;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Readme.Tests;

/// <summary>
/// <c>dotnet pack</c> of one library (WasmMesh.Core, which has no project references) into a temporary directory with
/// its own build output: the .nupkg carries the metadata a user judges it by on NuGet, and the .snupkg its symbols.
/// </summary>
public sealed class PackTests
{
    private const string Package = "WasmMesh.Core";

    [Fact]
    public async Task Pack_Core_HasCompleteMetadataReadmeLicenseAndSymbols()
    {
        using var temp = new TempDirectory("wasmmesh-pack");
        var output = temp.Combine("packages");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        // --artifacts-path keeps every intermediate file in the temporary directory: the repository's bin/obj are untouched.
        var result = await ProcessRunner.RunAsync(
            dotnet,
            ["pack", Path.Combine(RepoPaths.Root, "src", Package, Package + ".csproj"), "-c", "Release", "-o", output, "--artifacts-path", temp.Combine("artifacts"), "-nologo"],
            environment: new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["MSBUILDNOINPROCNODE"] = null },
            workingDirectory: RepoPaths.Root,
            timeout: TimeSpan.FromMinutes(8),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"dotnet pack failed: {result}");
        Assert.DoesNotContain(": warning ", result.StdOut, StringComparison.Ordinal);

        var nupkg = Path.Combine(output, $"{Package}.0.1.0.nupkg");
        var snupkg = Path.Combine(output, $"{Package}.0.1.0.snupkg");
        Assert.True(File.Exists(nupkg), $"no {Path.GetFileName(nupkg)} in {string.Join(", ", Directory.GetFiles(output).Select(Path.GetFileName))}");
        Assert.True(File.Exists(snupkg), "no symbol package (.snupkg) beside the package");

        using (var symbols = ZipFile.OpenRead(snupkg))
        {
            Assert.Contains(symbols.Entries, e => e.FullName == $"lib/net10.0/{Package}.pdb");
        }

        using var archive = ZipFile.OpenRead(nupkg);
        var nuspecEntry = Assert.Single(archive.Entries, e => e.FullName == $"{Package}.nuspec");
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }

        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        XElement Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

        Assert.Equal(Package, Value("id"));
        Assert.Equal("0.1.0", Value("version"));
        var description = Value("description");
        Assert.False(string.IsNullOrWhiteSpace(description));
        Assert.True(description!.Length >= 60 && !description.StartsWith("WasmMesh Core", StringComparison.Ordinal) && description != "Package Description", $"placeholder description: '{description}'");
        Assert.Contains("proxy-wasm", Value("tags") ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal("https://github.com/wasmmesh/wasmmesh", Value("projectUrl"));

        var repository = Element("repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal("https://github.com/wasmmesh/wasmmesh.git", repository.Attribute("url")?.Value);

        var license = Element("license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("Apache-2.0", license.Value);

        Assert.Equal("README.md", Value("readme"));
        var readmeEntry = Assert.Single(archive.Entries, e => e.FullName == "README.md");
        using (var reader = new StreamReader(readmeEntry.Open()))
        {
            var readme = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
            Assert.StartsWith($"# {Package}", readme, StringComparison.Ordinal);
            Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "src", Package, "README.md")), readme);
        }

        Assert.Contains(archive.Entries, e => e.FullName == $"lib/net10.0/{Package}.dll");
        Assert.Contains(archive.Entries, e => e.FullName == $"lib/net10.0/{Package}.xml");
    }
}
