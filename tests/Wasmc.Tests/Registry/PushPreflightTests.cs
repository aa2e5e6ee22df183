using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.Registry;

/// <summary><c>wasmc push</c> warns about a module Envoy would reject, and pushes it anyway.</summary>
public sealed class PushPreflightTests(PlainRegistry registry) : IClassFixture<PlainRegistry>
{
    [Fact]
    public async Task Push_ModuleImportingSchedYield_WarnsAndPushes()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("yield.wasm");
        await File.WriteAllBytesAsync(path, WasmModuleBuilder.Build(imports: [("wasi_snapshot_preview1", "sched_yield")]), TestContext.Current.CancellationToken);
        var push = await WasmcRun.RunAsync("push", $"{registry.Server.Host}/team/yield:v1", "-f", path);
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"wasmc: warning: {path}: the module imports wasi_snapshot_preview1.sched_yield, which Envoy does not provide", push.Error, StringComparison.Ordinal);
        Assert.StartsWith("Pushed ", push.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_SampleModule_HasNoWarning()
    {
        var push = await WasmcRun.RunAsync("push", $"{registry.Server.Host}/team/sample:v1", "-f", Path.Combine(RepoPaths.Root, "samples", "Modules", "add-header.wasm"));
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Empty(push.Error);
    }
}
