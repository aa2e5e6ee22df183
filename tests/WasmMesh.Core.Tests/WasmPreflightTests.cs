using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Core.Tests;

public sealed class WasmPreflightTests
{
    private static string SampleModule => Path.Combine(RepoPaths.Root, "samples", "Modules", "add-header.wasm");

    private static async Task<WasmModuleInfo> InspectAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return await WasmModuleInspector.InspectAsync(stream, "test.wasm", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Check_SampleModule_PassesAndItsImportIsRead()
    {
        var info = await WasmModuleInspector.InspectFileAsync(SampleModule, TestContext.Current.CancellationToken);
        Assert.Equal([new WasmImport("env", "proxy_add_header_map_value", WasmImportKind.Function)], info.Imports);
        var result = WasmPreflight.Check(info);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public async Task Check_SynthesisedModuleWithProxyAndWasiImports_Passes()
    {
        var info = await InspectAsync(WasmModuleBuilder.Build(
            ["proxy_abi_version_0_2_1", "proxy_on_context_create", "malloc"],
            imports: [("env", "proxy_log"), ("env", "proxy_get_log_level"), ("wasi_snapshot_preview1", "fd_write"), ("wasi_unstable", "clock_time_get"), ("env", "emscripten_notify_memory_growth")]));
        Assert.Equal(5, info.Imports.Count);
        Assert.Equal("proxy_abi_version_0_2_1", info.ProxyAbiVersion);
        var result = WasmPreflight.Check(info);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public async Task Check_SchedYieldImport_FailsNamingTheImport()
    {
        var info = await InspectAsync(WasmModuleBuilder.Build(imports: [("env", "proxy_log"), ("wasi_snapshot_preview1", "sched_yield")]));
        var result = WasmPreflight.Check(info);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("UnsupportedImport", problem.Code);
        Assert.Equal(new WasmImport("wasi_snapshot_preview1", "sched_yield", WasmImportKind.Function), problem.Import);
        Assert.Contains("wasi_snapshot_preview1.sched_yield", problem.Message, StringComparison.Ordinal);
        Assert.Contains("December 2024", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SchedYieldWithANewerOldestHost_Passes()
    {
        var info = await InspectAsync(WasmModuleBuilder.Build(imports: [("wasi_snapshot_preview1", "sched_yield")]));
        Assert.True(WasmPreflight.Check(info, new WasmPreflightOptions { OldestHost = ProxyWasmHostRevision.December2024 }).Passed);
        Assert.False(WasmPreflight.Check(info, new WasmPreflightOptions { OldestHost = ProxyWasmHostRevision.November2021 }).Passed);
    }

    [Theory]
    [InlineData("env", "proxy_does_not_exist", "Envoy provides no such function")]
    [InlineData("wasi_snapshot_preview1", "thread_spawn", "no such WASI function")]
    [InlineData("wasi", "thread-spawn", "only under env")]
    [InlineData("env", "proxy_get_log_level", "ABI 0.2.1")]
    [InlineData("env", "proxy_continue_request", "ABI 0.1.0")]
    public async Task Check_UnknownOrWrongAbiImport_Fails(string module, string name, string expected)
    {
        var info = await InspectAsync(WasmModuleBuilder.Build(imports: [(module, name)]));
        var problem = Assert.Single(WasmPreflight.Check(info).Problems);
        Assert.Equal("UnsupportedImport", problem.Code);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoAbiExport_Fails()
    {
        var info = await InspectAsync(WasmModuleBuilder.Build(["malloc"]));
        Assert.Equal("MissingAbiExport", Assert.Single(WasmPreflight.Check(info).Problems).Code);
    }

    [Fact]
    public async Task Check_UnknownAbiVersion_Fails()
    {
        var info = await InspectAsync(WasmModuleBuilder.Build(["proxy_abi_version_0_3_0"]));
        var problem = Assert.Single(WasmPreflight.Check(info).Problems);
        Assert.Equal("UnknownAbiVersion", problem.Code);
        Assert.Contains("proxy_abi_version_0_3_0", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostTable_EveryWasiFunctionOfTheLatestHost_IsListedOnce()
    {
        Assert.Equal(45, ProxyWasmHostFunctions.WasiFunctions.Count);
        Assert.Equal(36, ProxyWasmHostFunctions.ProxyFunctions.Count);
        Assert.Equal(ProxyWasmHostFunctions.ProxyFunctions.Count, ProxyWasmHostFunctions.ProxyFunctions.Distinct(StringComparer.Ordinal).Count());
    }
}
