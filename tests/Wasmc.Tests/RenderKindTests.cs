using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests;

/// <summary><c>wasmc render --kind</c>, <c>--explain</c>, <c>--istio-version</c> and the pre-flight warning of <c>--wasm</c>.</summary>
public sealed class RenderKindTests
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

    [Theory]
    [InlineData("wasmplugin", "wasmplugin", "1.25")]
    [InlineData("trafficextension", "trafficextension", "1.30")]
    [InlineData("ecds", "envoyfilter-ecds", "1.25")]
    [InlineData("reference", "envoyfilter", "1.25")]
    public async Task Render_Kind_PrintsTheGoldenFileOfThatKind(string golden, string kind, string istio)
    {
        var (code, stdout, stderr) = await RunAsync("render", "-f", Case(golden, "input.yaml"), "--sha256", ReferenceSha, "--kind", kind, "--istio-version", istio);
        Assert.True(code == 0, stderr);
        Assert.Equal(await File.ReadAllTextAsync(Case(golden, "expected.yaml"), TestContext.Current.CancellationToken), stdout);
    }

    [Fact]
    public async Task Render_KindOverridesSpecOutput_AndJsonStaysTheFormat()
    {
        var (code, stdout, _) = await RunAsync("render", "-f", Case("wasmplugin", "input.yaml"), "--sha256", ReferenceSha, "--kind", "envoyfilter", "-o", "json");
        Assert.Equal(0, code);
        Assert.StartsWith("{\n    \"apiVersion\": \"networking.istio.io/v1alpha3\",\n    \"kind\": \"EnvoyFilter\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_TrafficExtensionOnDefaultIstio_FailsWithTheFix()
    {
        var (code, stdout, stderr) = await RunAsync("render", "-f", Case("wasmplugin", "input.yaml"), "--sha256", ReferenceSha, "--kind", "trafficextension");
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("default/add-header: cannot write TrafficExtension: TrafficExtension needs Istio 1.30 or later; the target is Istio 1.25", stderr, StringComparison.Ordinal);

        var vm = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--sha256", ReferenceSha, "--kind", "wasmplugin");
        Assert.Equal(2, vm.Code);
        Assert.Contains("spec.filter.vmID: WasmPlugin has no VM ID", vm.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_UnknownKind_IsAUsageError()
    {
        var (code, _, stderr) = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--sha256", ReferenceSha, "--kind", "gateway");
        Assert.Equal(2, code);
        Assert.Contains("gateway", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ConditionalAnchor_PrintsANoteOnStandardError()
    {
        var (code, stdout, stderr) = await RunAsync("render", "-f", Case("phase-authn", "input.yaml"), "--sha256", ReferenceSha);
        Assert.Equal(0, code);
        Assert.Contains("name: envoy.filters.http.jwt_authn", stdout, StringComparison.Ordinal);
        Assert.Contains("wasmc: note: default/authn-filter: the AUTHN anchor envoy.filters.http.jwt_authn exists only when a RequestAuthentication", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Explain_NeedsNoDigestAndShowsWhereTheModuleLands()
    {
        var (code, stdout, stderr) = await RunAsync("render", "-f", Case("phase-stats", "input.yaml"), "--explain");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        var slot = Array.FindIndex(lines, l => l.Contains('▶', StringComparison.Ordinal));
        Assert.Contains("envoy.filters.http.rbac", lines[slot - 1], StringComparison.Ordinal);
        Assert.Contains("envoy.filters.http.grpc_stats", lines[slot + 1], StringComparison.Ordinal);
        Assert.Contains("INSERT_BEFORE envoy.filters.http.grpc_stats, priority 100", lines[slot], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WasmWithUnsupportedImport_WarnsAndStillRenders()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("yield.wasm");
        await File.WriteAllBytesAsync(path, WasmModuleBuilder.Build(imports: [("wasi_snapshot_preview1", "sched_yield")]), TestContext.Current.CancellationToken);
        var (code, stdout, stderr) = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--wasm", path);
        Assert.Equal(0, code);
        Assert.Contains("kind: EnvoyFilter", stdout, StringComparison.Ordinal);
        Assert.Contains($"wasmc: warning: {path}: the module imports wasi_snapshot_preview1.sched_yield, which Envoy does not provide", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_SampleModule_PassesThePreflightSilently()
    {
        var path = Path.Combine(RepoPaths.Root, "samples", "Modules", "add-header.wasm");
        var (code, _, stderr) = await RunAsync("render", "-f", Case("wasmplugin", "input.yaml"), "--wasm", path, "--kind", "wasmplugin");
        Assert.Equal(0, code);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Render_RetryIntervals_AreWrittenAndValidated()
    {
        var (code, stdout, _) = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--sha256", ReferenceSha, "--retries", "5", "--retry-base-interval", "500ms", "--retry-max-interval", "30s");
        Assert.Equal(0, code);
        Assert.Contains("numRetries: 5\n", stdout, StringComparison.Ordinal);
        Assert.Contains("baseInterval: 0.500s\n", stdout, StringComparison.Ordinal);
        Assert.Contains("maxInterval: 30s\n", stdout, StringComparison.Ordinal);
        var bad = await RunAsync("render", "-f", Case("reference", "input.yaml"), "--sha256", ReferenceSha, "--retries", "5", "--retry-base-interval", "soon");
        Assert.Equal(2, bad.Code);
        Assert.Contains("--retry-base-interval: 'soon' is not a duration", bad.Err, StringComparison.Ordinal);
    }
}
