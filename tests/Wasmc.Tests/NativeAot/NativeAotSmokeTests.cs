using System.Text.Json;
using Wasmc.Tests.Registry;
using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.NativeAot;

/// <summary>
/// The published Native AOT <c>wasmc</c> behaves as the JIT build does: version, render output byte for byte,
/// push and pull through a real registry, and the exit code and message for bad input.
/// </summary>
public sealed class NativeAotSmokeTests(NativeWasmc wasmc, PlainRegistry registry) : IClassFixture<NativeWasmc>, IClassFixture<PlainRegistry>
{
    private const string ReferenceSha = "750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f";

    private static string CasesRoot => Path.Combine(RepoPaths.Root, "tests", "WasmMesh.Istio.Tests", "Cases");

    /// <summary>Golden cases whose options all map to render flags, with those flags.</summary>
    public static TheoryData<string> RenderableCases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(CasesRoot).Order(StringComparer.Ordinal))
        {
            if (RenderArguments(dir) is not null)
            {
                data.Add(Path.GetFileName(dir));
            }
        }

        return data;
    }

    private static List<string>? RenderArguments(string dir)
    {
        var args = new List<string> { "render", "-f", Path.Combine(dir, "input.yaml") };
        var sha = ReferenceSha;
        var casePath = Path.Combine(dir, "case.json");
        if (File.Exists(casePath))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(casePath));
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "sha256": sha = property.Value.GetString()!; break;
                    case "serviceName": args.AddRange(["--service-name", property.Value.GetString()!]); break;
                    case "serviceNamespace": args.AddRange(["--service-namespace", property.Value.GetString()!]); break;
                    case "servicePort": args.AddRange(["--service-port", property.Value.GetInt32().ToString()]); break;
                    case "clusterDomain": args.AddRange(["--cluster-domain", property.Value.GetString()!]); break;
                    case "retries": args.AddRange(["--retries", property.Value.GetInt32().ToString()]); break;
                    default: return null; // an option render has no flag for
                }
            }
        }

        args.AddRange(["--sha256", sha]);
        return args;
    }

    [Fact]
    public async Task Binary_IsOneNativeExecutable()
    {
        var header = new byte[4];
        await using (var file = File.OpenRead(wasmc.Path))
        {
            await file.ReadExactlyAsync(header, TestContext.Current.CancellationToken);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), header);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(wasmc.Path)!, "wasmc.dll")), "a Native AOT publish has no managed wasmc.dll beside the binary");
    }

    [Fact]
    public async Task Version_PrintsWhatTheJitBuildPrints()
    {
        var native = await wasmc.RunAsync(["--version"]);
        var jit = await WasmcRun.RunAsync("--version");

        Assert.True(native.ExitCode == 0, native.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", native.Out);
        Assert.Equal(jit.Out, native.Out);
        Assert.Empty(native.Error);
    }

    [Theory]
    [MemberData(nameof(RenderableCases))]
    public async Task Render_GoldenCase_IsByteIdenticalToTheGoldenFile(string name)
    {
        var dir = Path.Combine(CasesRoot, name);

        var native = await wasmc.RunAsync([.. RenderArguments(dir)!]);

        Assert.True(native.ExitCode == 0, native.ToString());
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(dir, "expected.yaml"), TestContext.Current.CancellationToken), native.Out);

        // Phases anchored on policy-only filters print a note (as the JIT build does); nothing else reaches stderr.
        Assert.All(native.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("wasmc: note: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public void RenderableCases_CoverMostGoldenCases()
    {
        Assert.True(RenderableCases().Count >= 8, $"only {RenderableCases().Count} golden cases map to render flags");
    }

    [Fact]
    public async Task RenderJson_MatchesTheJitBuild()
    {
        string[] args = ["render", "-f", Path.Combine(CasesRoot, "several-ports", "input.yaml"), "--sha256", ReferenceSha, "-o", "json", "--retries", "2", "--timeout", "30s"];

        var native = await wasmc.RunAsync(args);
        var jit = await WasmcRun.RunAsync(args);

        Assert.True(native.ExitCode == 0, native.ToString());
        Assert.StartsWith("{", native.Out, StringComparison.Ordinal);
        Assert.Equal(jit.Out, native.Out);
    }

    [Fact]
    public async Task Render_InvalidInput_ExitsTwoWithTheJitBuildsMessages()
    {
        var invalid = Path.Combine(RepoPaths.Root, "tests", "WasmMesh.Model.Tests", "Invalid", "several-problems.yaml");
        string[] args = ["render", "-f", invalid, "--sha256", ReferenceSha, "--service-port", "0"];

        var native = await wasmc.RunAsync(args);
        var jit = await WasmcRun.RunAsync(args);

        Assert.Equal(2, native.ExitCode);
        Assert.Empty(native.Out);
        Assert.Contains("spec.filter.applyPorts[2]: 70000 is not a port (1-65535)", native.Error, StringComparison.Ordinal);
        Assert.Contains("ServicePort", native.Error, StringComparison.Ordinal);
        Assert.Equal(jit.Error, native.Error);
    }

    [Fact]
    public async Task Push_MissingFile_ExitsWithTheJitBuildsCodeAndMessage()
    {
        using var dir = new TempDirectory();
        string[] args = ["push", "127.0.0.1:1/team/none:v1", "-f", dir.Combine("absent.wasm")];

        var native = await wasmc.RunAsync(args);
        var jit = await WasmcRun.RunAsync(args);

        Assert.NotEqual(0, native.ExitCode);
        Assert.Equal(jit.ExitCode, native.ExitCode);
        Assert.Empty(native.Out);
        Assert.Contains("absent.wasm", native.Error, StringComparison.Ordinal);
        Assert.Equal(jit.Error.Replace(dir.Path, "DIR", StringComparison.Ordinal), native.Error.Replace(dir.Path, "DIR", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("image", 16 * 1024)]
    [InlineData("artifact", 16 * 1024)]
    [InlineData("image", 3 * 1024 * 1024)]
    public async Task PushThenPull_ThroughTheRegistry_RoundTripsByteIdentical(string format, int size)
    {
        RequireRegistry();
        using var dir = new TempDirectory();
        var module = dir.Combine("module.wasm");
        WasmModuleBuilder.WriteLargeModule(module, size, seed: size + format.Length);
        var reference = $"{registry.Server.Host}/native/{format}-{size}:v1";
        var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = dir.Combine("docker") };
        var outDir = dir.Combine("out");

        var push = await wasmc.RunAsync(["push", reference, "-f", module, "--format", format], environment: environment);
        var pull = await wasmc.RunAsync(["pull", reference, "-o", outDir], environment: environment);
        var jitPull = await WasmcRun.RunAsync("pull", reference, "-o", dir.Combine("jit"));

        Assert.True(push.ExitCode == 0, push.ToString());
        var pushLines = push.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"Pushed {reference}"], pushLines[..1]);
        Assert.Matches("^Digest: sha256:[0-9a-f]{64}$", pushLines[1]);
        Assert.Empty(push.Error);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.StartsWith($"Pulled {reference}\nSha256: ", pull.Out, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(module, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(Path.Combine(outDir, "filter.wasm"), TestContext.Current.CancellationToken));
        Assert.True(jitPull.ExitCode == 0, jitPull.ToString());
        Assert.Equal(jitPull.Out.Replace(dir.Combine("jit"), outDir, StringComparison.Ordinal), pull.Out);
    }

    [Fact]
    public async Task Pull_UnknownTag_ExitsOneWithTheJitBuildsMessage()
    {
        RequireRegistry();
        using var dir = new TempDirectory();
        var reference = $"{registry.Server.Host}/native/absent:v1";

        var native = await wasmc.RunAsync(["pull", reference, "-o", dir.Combine("out")]);
        var jit = await WasmcRun.RunAsync("pull", reference, "-o", dir.Combine("out"));

        Assert.Equal(1, native.ExitCode);
        Assert.Empty(native.Out);
        Assert.NotEmpty(native.Error);
        Assert.Equal(jit.Error, native.Error);
        Assert.False(Directory.Exists(dir.Combine("out")) && Directory.EnumerateFileSystemEntries(dir.Combine("out")).Any(), "nothing is written for a failed pull");
    }

    private static void RequireRegistry()
    {
        if (ExternalBinary.Find("docker-registry") is null && Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail("docker-registry is not installed; under CI it must be (.ci/run installs it)");
        }
    }
}
