using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests;

public sealed class RenderCommandTests
{
    private const string ReferenceSha = "750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f";

    private static string Case(string name, string file) => Path.Combine(RepoPaths.Root, "tests", "WasmMesh.Istio.Tests", "Cases", name, file);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.RunAsync(args, new CliConsole(stdout, stderr, new StringReader(string.Empty), false), TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Render_ReferenceAutoWasm_PrintsTheReferenceEnvoyFilter()
    {
        var (code, stdout, stderr) = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--sha256", ReferenceSha);
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(await File.ReadAllTextAsync(Case("reference", "expected.yaml"), TestContext.Current.CancellationToken), stdout);
    }

    [Fact]
    public async Task Render_SampleFile_Works()
    {
        var (code, stdout, _) = await RunAsync("render", "-f", Path.Combine(RepoPaths.Root, "samples", "Wasmc", "examples", "autowasm.yaml"), "--sha256", ReferenceSha);
        Assert.Equal(0, code);
        Assert.Contains("kind: EnvoyFilter", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WasmFile_UsesItsSha256()
    {
        var fixture = RepoPaths.Fixture(RepoPaths.AddHeader);
        var (code, stdout, _) = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--wasm", fixture);
        Assert.Equal(0, code);
        Assert.Contains("sha256: " + RepoPaths.AddHeaderSha256 + "\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MultipleDocuments_SeparatesWithDashes()
    {
        var (code, stdout, _) = await RunAsync("render", "-f", Case("multi-document", "input.yaml"), "--sha256", ReferenceSha);
        Assert.Equal(0, code);
        Assert.Equal(2, stdout.Split("kind: EnvoyFilter").Length - 1);
        Assert.Contains("\n---\napiVersion", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ServiceNamespaceOption_ChangesClusterAndUri()
    {
        var (code, stdout, _) = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--sha256", ReferenceSha, "--service-namespace", "mesh", "--cluster-domain", "corp.local");
        Assert.Equal(0, code);
        Assert.Contains("cluster: outbound|8081||wasmer.mesh.svc.corp.local", stdout, StringComparison.Ordinal);
        Assert.Contains("uri: wasmer.mesh:8081/wasm/", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Json_PrintsJson()
    {
        var (code, stdout, _) = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--sha256", ReferenceSha, "-o", "json");
        Assert.Equal(0, code);
        Assert.StartsWith("{\n    \"apiVersion\": \"networking.istio.io/v1alpha3\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_InvalidInput_ExitsTwoWithEveryProblemAndNoOutput()
    {
        var invalid = Path.Combine(RepoPaths.Root, "tests", "WasmMesh.Model.Tests", "Invalid", "several-problems.yaml");
        var (code, stdout, stderr) = await RunAsync("render", "-f", invalid, "--sha256", ReferenceSha);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(6, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("spec.filter.applyPorts[2]: 70000 is not a port (1-65535)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_TabIndentedReferenceExample_ExitsTwoWithLineAndColumn()
    {
        var invalid = Path.Combine(RepoPaths.Root, "tests", "WasmMesh.Model.Tests", "Invalid", "tab-indentation.yaml");
        var (code, stdout, stderr) = await RunAsync("render", "-f", invalid, "--sha256", ReferenceSha);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("tab-indentation.yaml:11:1: a TAB character", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--sha256", "750D63889653E7117FCBC0831F10F0E1D3F7EC0C82FE5787B71D08A783E3393F", "lowercase")]
    [InlineData("--sha256", "abc", "64 hex digits")]
    [InlineData("--timeout", "ten", "not a duration")]
    public async Task Render_BadOption_ExitsTwo(string option, string value, string expected)
    {
        var args = option == "--sha256"
            ? new[] { "render", "-f", Case("reference", "input.yaml"), option, value }
            : new[] { "render", "-f", Case("reference", "input.yaml"), "--sha256", ReferenceSha, option, value };
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MissingFileAndBothDigestOptions_ReportsBoth()
    {
        var (code, stdout, stderr) = await RunAsync("render", "-f", "/nonexistent/aw.yaml", "--sha256", ReferenceSha, "--wasm", "x.wasm");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("exactly one of --sha256 and --wasm", stderr, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/aw.yaml: cannot read the file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_NotAWasmFile_ExitsTwo()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("not.wasm");
        await File.WriteAllTextAsync(path, "hello", TestContext.Current.CancellationToken);
        var (code, stdout, stderr) = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--wasm", path);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("not a valid WebAssembly module", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_ExitsTwo()
    {
        var (code, stdout, stderr) = await RunAsync("render", "--bogus");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("--bogus", stderr, StringComparison.Ordinal);
    }
}
