using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Core.Tests;

/// <summary>The committed test modules under tests/Modules: real proxy-wasm filters, exactly what their sources build to.</summary>
public sealed class TestModuleSourceTests
{
    public static TheoryData<string> Sources()
    {
        var data = new TheoryData<string>();
        foreach (var source in Directory.EnumerateFiles(RepoPaths.Modules, "*.wat").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(source));
        }

        return data;
    }

    [Fact]
    public void Modules_EveryBinaryHasItsSource_AndTheOtherWayRound()
    {
        var sources = Directory.EnumerateFiles(RepoPaths.Modules, "*.wat").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToArray();
        var binaries = Directory.EnumerateFiles(RepoPaths.Modules, "*.wasm").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal<string[]>(["add-configured-header", "add-header"], sources);
        Assert.Equal<string[]>(sources, binaries);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Module_IsExactlyWhatItsSourceBuildsTo(string source)
    {
        var wat2wasm = ExternalBinary.Require("wat2wasm", "wabt");
        using var dir = new TempDirectory();
        var output = dir.Combine("built.wasm");
        var result = await ProcessRunner.RunAsync(wat2wasm, ["--debug-names", Path.Combine(RepoPaths.Modules, source), "-o", output], cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, result.ToString());
        var committed = Path.Combine(RepoPaths.Modules, Path.ChangeExtension(source, ".wasm"));
        var expected = await File.ReadAllBytesAsync(committed, TestContext.Current.CancellationToken);
        var built = await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken);
        Assert.True(
            expected.AsSpan().SequenceEqual(built),
            $"{committed} is not what {source} builds to: run tests/Modules/build.sh and commit the result");
    }

    [Theory]
    [InlineData(RepoPaths.AddHeader, RepoPaths.AddHeaderSize, RepoPaths.AddHeaderSha256)]
    [InlineData(RepoPaths.AddConfiguredHeader, RepoPaths.AddConfiguredHeaderSize, RepoPaths.AddConfiguredHeaderSha256)]
    public async Task Module_IsAProxyWasmFilter_WithTheRecordedSizeAndDigest(string module, long size, string sha256)
    {
        var path = RepoPaths.Fixture(module);
        var info = await WasmModuleInspector.InspectFileAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal("proxy_abi_version_0_2_0", info.ProxyAbiVersion);
        Assert.Contains("proxy_on_response_headers", info.Exports);
        Assert.Contains("proxy_on_memory_allocate", info.Exports);
        Assert.Contains("memory", info.Exports);
        Assert.Equal(size, new FileInfo(path).Length);
        Assert.Equal(sha256, Digest.ComputeSha256(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)).Hex);
    }

    [Fact]
    public void Fixture_Missing_ThrowsNamingTheBuildScript()
    {
        var error = Assert.Throws<FileNotFoundException>(() => RepoPaths.Fixture("absent.wasm"));
        Assert.Contains("tests/Modules/build.sh", error.Message, StringComparison.Ordinal);
    }
}
