using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Core.Tests;

public sealed class SampleModuleTests
{
    private static string Modules => Path.Combine(RepoPaths.Root, "samples", "Modules");

    [Fact]
    public async Task AddHeaderSample_IsAProxyWasmFilter()
    {
        var info = await WasmModuleInspector.InspectFileAsync(Path.Combine(Modules, "add-header.wasm"), TestContext.Current.CancellationToken);
        Assert.Equal("proxy_abi_version_0_2_0", info.ProxyAbiVersion);
        Assert.Contains("proxy_on_response_headers", info.Exports);
        Assert.Contains("malloc", info.Exports);
        Assert.Contains("memory", info.Exports);
    }

    [Fact]
    public async Task AddHeaderSample_IsExactlyWhatItsSourceBuildsTo()
    {
        var wat2wasm = ExternalBinary.Require("wat2wasm", "wabt");
        using var dir = new TempDirectory();
        var output = dir.Combine("add-header.wasm");
        var result = await ProcessRunner.RunAsync(wat2wasm, [Path.Combine(Modules, "add-header.wat"), "-o", output], cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Modules, "add-header.wasm"), TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken));
    }
}
