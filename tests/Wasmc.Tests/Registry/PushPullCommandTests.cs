using System.Text.Json.Nodes;
using WasmMesh.TestSupport;
using WasmMesh;
using Xunit;

namespace Wasmc.Tests.Registry;

public sealed class PushPullCommandTests(PlainRegistry registry) : IClassFixture<PlainRegistry>
{
    public static TheoryData<string, string> FixturesAndFormats => new()
    {
        { RepoPaths.AddConfiguredHeader, "image" },
        { RepoPaths.AddConfiguredHeader, "artifact" },
        { RepoPaths.AddHeader, "image" },
        { RepoPaths.AddHeader, "artifact" },
    };

    [Theory]
    [MemberData(nameof(FixturesAndFormats))]
    public async Task PushThenPull_ReferenceFixture_PrintsReferenceOutputAndRoundTripsByteIdentical(string fixture, string format)
    {
        var file = RepoPaths.Fixture(fixture);
        var reference = $"{registry.Server.Host}/team/{Path.GetFileNameWithoutExtension(fixture).Replace('.', '-')}:{format}";
        using var dir = new TempDirectory();
        var outDir = dir.Combine("out");

        var push = await WasmcRun.RunAsync("push", reference, "-f", file, "--format", format, "--registry-config", dir.Combine("config.json"));
        var pull = await WasmcRun.RunAsync("pull", reference, "-o", outDir, "--registry-config", dir.Combine("config.json"));

        Assert.True(push.ExitCode == 0, push.ToString());
        var pushLines = push.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Pushed {reference}", pushLines[0]);
        Assert.Matches("^Digest: sha256:[0-9a-f]{64}$", pushLines[1]);
        Assert.Equal(2, pushLines.Length);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        var sha = fixture == RepoPaths.AddConfiguredHeader ? RepoPaths.AddConfiguredHeaderSha256 : RepoPaths.AddHeaderSha256;
        Assert.Equal($"Pulled {reference}\nSha256: {sha}\nLocation: {Path.Combine(outDir, "filter.wasm")}\n", pull.Out);
        Assert.Equal(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(Path.Combine(outDir, "filter.wasm"), TestContext.Current.CancellationToken));
        Assert.Empty(push.Error);
        Assert.Empty(pull.Error);
    }

    [Fact]
    public async Task Push_SameFileTwiceWithPlainHttpFlag_PrintsSameDigest()
    {
        var file = RepoPaths.Fixture(RepoPaths.AddHeader);
        var first = await WasmcRun.RunAsync("push", $"{registry.Server.Host}/repro/a:v1", "-f", file, "--plain-http", "-a", "org.example/x=1");
        var second = await WasmcRun.RunAsync("push", $"{registry.Server.Host}/repro/b:v1", "-f", file, "--plain-http", "-a", "org.example/x=1");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Out.Split('\n')[1], second.Out.Split('\n')[1]);
    }

    [Fact]
    public async Task Inspect_PushedImage_ShowsLayoutDigestsAndAbi()
    {
        var reference = $"{registry.Server.Host}/team/inspected:v1";
        var push = await WasmcRun.RunAsync("push", reference, "-f", RepoPaths.Fixture(RepoPaths.AddConfiguredHeader));

        var inspect = await WasmcRun.RunAsync("inspect", reference);

        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Contains("Layout:          OciImage\n", inspect.Out, StringComparison.Ordinal);
        Assert.Contains($"Manifest digest: {push.Out.Split('\n')[1]["Digest: ".Length..]}\n", inspect.Out, StringComparison.Ordinal);
        Assert.Contains($"Wasm sha256:     {RepoPaths.AddConfiguredHeaderSha256}\n", inspect.Out, StringComparison.Ordinal);
        Assert.Contains($"Size:            {RepoPaths.AddConfiguredHeaderSize} bytes\n", inspect.Out, StringComparison.Ordinal);
        Assert.Contains("Proxy-wasm ABI:  proxy_abi_version_0_2_0\n", inspect.Out, StringComparison.Ordinal);
        Assert.Contains("Layer types:     application/vnd.oci.image.layer.v1.tar+gzip\n", inspect.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_MissingTag_FailsWithOneLineNotFound()
    {
        await WasmcRun.RunAsync("push", $"{registry.Server.Host}/team/present:v1", "-f", RepoPaths.Fixture(RepoPaths.AddHeader));
        using var dir = new TempDirectory();

        var pull = await WasmcRun.RunAsync("pull", $"{registry.Server.Host}/team/present:missing", "-o", dir.Path);

        Assert.Equal(1, pull.ExitCode);
        Assert.Empty(pull.Out);
        Assert.StartsWith("wasmc: not found:", pull.Error, StringComparison.Ordinal);
        Assert.Single(pull.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Push_NotAWasmFile_IsAUsageError()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("readme.wasm");
        await File.WriteAllTextAsync(file, "# not a module", TestContext.Current.CancellationToken);

        var push = await WasmcRun.RunAsync("push", $"{registry.Server.Host}/team/bad:v1", "-f", file);

        Assert.Equal(2, push.ExitCode);
        Assert.Empty(push.Out);
        Assert.StartsWith("wasmc: readme.wasm is not a valid WebAssembly module", push.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("push", "127.0.0.1:5000/Team/x:v1", "-f", "{wasm}")]
    [InlineData("push", "127.0.0.1:5000/team/x:v1", "-f", "/nonexistent/filter.wasm")]
    [InlineData("push", "127.0.0.1:5000/team/x:v1", "-f", "{wasm}", "--annotation", "novalue")]
    [InlineData("push", "127.0.0.1:5000/team/x:v1", "-f", "{wasm}", "--format", "zip")]
    [InlineData("push", "127.0.0.1:5000/team/x:v1")]
    [InlineData("pull", "https://127.0.0.1:5000/team/x:v1")]
    [InlineData("push", "127.0.0.1:5000/team/x:v1", "-f", "{wasm}", "--ca-file", "/nonexistent/ca.pem")]
    public async Task Command_InvalidArguments_ExitTwoWithoutOutput(params string[] args)
    {
        var wasm = RepoPaths.Fixture(RepoPaths.AddHeader);
        var result = await WasmcRun.RunAsync(args.Select(a => a.Replace("{wasm}", wasm, StringComparison.Ordinal)).ToArray());

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.StartsWith("wasmc: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_RegistryServesTamperedModule_FailsAndWritesNothing()
    {
        var wasm = WasmModuleBuilder.Build(padding: 50_000, seed: 4);
        var digest = Digest.ComputeSha256(wasm);
        var config = "{}"u8.ToArray();
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.wasm.config.v0+json", ["digest"] = Digest.ComputeSha256(config).ToString(), ["size"] = config.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/wasm", ["digest"] = digest.ToString(), ["size"] = wasm.Length }),
        };
        var tampered = (byte[])wasm.Clone();
        tampered[^5] ^= 0x5a;
        await using var stub = RegistryStub.Start();
        stub.AddManifest("team/filter", "v1", "application/vnd.oci.image.manifest.v1+json", System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        stub.AddBlob("team/filter", digest.ToString(), tampered);
        using var dir = new TempDirectory();

        var pull = await WasmcRun.RunAsync("pull", $"{stub.Host}/team/filter:v1", "-o", dir.Path);

        Assert.Equal(1, pull.ExitCode);
        Assert.StartsWith("wasmc: digest mismatch", pull.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Pull_OutputNamesAWasmFile_WritesThatFile()
    {
        var reference = $"{registry.Server.Host}/team/to-file:v1";
        using var dir = new TempDirectory();
        var target = dir.Combine("sub", "my.wasm");
        var push = await WasmcRun.RunAsync("push", reference, "-f", RepoPaths.Fixture(RepoPaths.AddHeader));

        var pull = await WasmcRun.RunAsync("pull", reference, "-o", target);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.True(File.Exists(target), $"{target} is not a file");
        Assert.Equal(RepoPaths.AddHeaderSha256, Digest.ComputeSha256(await File.ReadAllBytesAsync(target, TestContext.Current.CancellationToken)).Hex);
        Assert.EndsWith($"Location: {target}\n", pull.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("out.wasm", "out.wasm")]
    [InlineData("dir", "dir/filter.wasm")]
    [InlineData("dir/", "dir/filter.wasm")]
    public void PullLocation_FileOrDirectory(string output, string expected) =>
        Assert.Equal(expected, global::Wasmc.Commands.RegistryCommands.PullLocation(output).Replace("//", "/", StringComparison.Ordinal));

    [Fact]
    public async Task Push_ModuleWithoutProxyWasmAbi_WarnsAndPushes()
    {
        using var dir = new TempDirectory();
        var plain = dir.Combine("plain.wasm");
        await File.WriteAllBytesAsync(plain, WasmModuleBuilder.Build(["main"]), TestContext.Current.CancellationToken);

        var push = await WasmcRun.RunAsync("push", $"{registry.Server.Host}/team/plain:v1", "-f", plain);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.StartsWith($"wasmc: warning: {plain}: ", push.Error, StringComparison.Ordinal);
        Assert.Contains("proxy_abi_version_", push.Error, StringComparison.Ordinal);
        Assert.StartsWith($"Pushed {registry.Server.Host}/team/plain:v1", push.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_CaFileNotPem_ExitsTwoNamingTheFile()
    {
        using var dir = new TempDirectory();
        var notPem = dir.Combine("ca.der");
        await File.WriteAllBytesAsync(notPem, [0x30, 0x82, 0x01, 0x0a], TestContext.Current.CancellationToken);

        var push = await WasmcRun.RunAsync("push", $"{registry.Server.Host}/team/x:v1", "-f", RepoPaths.Fixture(RepoPaths.AddHeader), "--ca-file", notPem);

        Assert.Equal(2, push.ExitCode);
        Assert.Contains($"--ca-file: '{notPem}' holds no PEM certificate", push.Error, StringComparison.Ordinal);
    }
}
