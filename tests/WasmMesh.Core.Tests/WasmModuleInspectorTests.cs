using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Core.Tests;

public sealed class WasmModuleInspectorTests
{
    [Fact]
    public async Task InspectAsync_SynthesisedModule_FindsExportsAndAbi()
    {
        var bytes = WasmModuleBuilder.Build(["proxy_abi_version_0_2_0", "proxy_on_vm_start"], padding: 1000);
        var info = await WasmModuleInspector.InspectAsync(new MemoryStream(bytes), "m.wasm", TestContext.Current.CancellationToken);
        Assert.Equal(1u, info.Version);
        Assert.Equal(["proxy_abi_version_0_2_0", "proxy_on_vm_start"], info.Exports);
        Assert.Equal("proxy_abi_version_0_2_0", info.ProxyAbiVersion);
        Assert.True(info.IsProxyWasm);
    }

    [Fact]
    public async Task InspectFileAsync_ReferenceFixture_IsProxyWasm()
    {
        var info = await WasmModuleInspector.InspectFileAsync(RepoPaths.Fixture(RepoPaths.AddConfiguredHeader), TestContext.Current.CancellationToken);
        Assert.Equal("proxy_abi_version_0_2_0", info.ProxyAbiVersion);
        Assert.Contains("proxy_on_request_headers", info.Exports);
    }

    [Fact]
    public async Task InspectAsync_NotProxyWasm_ReportsNoAbi()
    {
        var info = await WasmModuleInspector.InspectAsync(new MemoryStream(WasmModuleBuilder.Build(["main"])), "m.wasm", TestContext.Current.CancellationToken);
        Assert.False(info.IsProxyWasm);
    }

    [Theory]
    [InlineData(new byte[] { 0x7f, 0x45, 0x4c, 0x46 }, "magic")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x01 }, "truncated")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00 }, "version 2")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x07, 0x10, 0x01 }, "past the end")]
    public async Task InspectAsync_Malformed_Throws(byte[] bytes, string expected)
    {
        var e = await Assert.ThrowsAsync<InvalidWasmModuleException>(() => WasmModuleInspector.InspectAsync(new MemoryStream(bytes), "bad.wasm", TestContext.Current.CancellationToken));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.wasm is not a valid WebAssembly module", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HasWasmHeader_ChecksMagicAndVersion()
    {
        Assert.True(WasmModuleInspector.HasWasmHeader(WasmModuleBuilder.Build()));
        Assert.False(WasmModuleInspector.HasWasmHeader("PK\x03\x04\0\0\0\0"u8));
    }
}
