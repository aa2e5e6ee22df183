using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.Registry;

public sealed class TlsCommandTests(TlsRegistry registry) : IClassFixture<TlsRegistry>
{
    [Theory]
    [InlineData(RepoPaths.AddConfiguredHeader, "image")]
    [InlineData(RepoPaths.AddHeader, "artifact")]
    public async Task PushThenPull_WithCaFile_RoundTripsByteIdentical(string fixture, string format)
    {
        var file = RepoPaths.Fixture(fixture);
        var reference = $"{registry.Server.Host}/tls/{format}:v1";
        using var dir = new TempDirectory();

        var push = await WasmcRun.RunAsync("push", reference, "-f", file, "--format", format, "--ca-file", registry.Server.CaFile!);
        var pull = await WasmcRun.RunAsync("pull", reference, "-o", dir.Path, "--ca-file", registry.Server.CaFile!);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(dir.Combine("filter.wasm"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Push_UntrustedCertificate_FailsWithHintAndInsecureWorks()
    {
        var reference = $"{registry.Server.Host}/tls/insecure:v1";
        var file = RepoPaths.Fixture(RepoPaths.AddHeader);

        var refused = await WasmcRun.RunAsync("push", reference, "-f", file);
        var insecure = await WasmcRun.RunAsync("push", reference, "-f", file, "--insecure");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("TLS", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--ca-file", refused.Error, StringComparison.Ordinal);
        Assert.True(insecure.ExitCode == 0, insecure.ToString());
    }
}
