using WasmMesh.TestSupport;
using Xunit;
using Xunit.Sdk;

namespace WasmMesh.Core.Tests;

/// <summary>The rules the shared test helpers enforce: CI never skips for a missing program nor accepts golden output.</summary>
public sealed class TestSupportTests
{
    private const string Absent = "wasmmesh-no-such-program-on-any-path";

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void ContinuousIntegration_ReadsTheCiVariable(string? value, bool expected) =>
        Assert.Equal(expected, ContinuousIntegration.IsSet(value));

    [Fact]
    public void Require_MissingProgramUnderCi_Fails()
    {
        var error = Assert.Throws<FailException>(() => ExternalBinary.Require(Absent, "some-package", underCi: true));
        Assert.Contains($"'{Absent}' is not installed (apt-get install some-package)", error.Message, StringComparison.Ordinal);
        Assert.Contains("CI=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_PresentProgram_ReturnsItsPath()
    {
        var sh = ExternalBinary.Require("sh", "dash", underCi: true);
        Assert.True(File.Exists(sh));
    }

    [Fact]
    public void GoldenFile_AcceptUnderCi_IsRefusedAndLeavesTheFile()
    {
        using var dir = new TempDirectory();
        var expected = dir.Combine("case.expected.yaml");
        File.WriteAllText(expected, "old\n");

        var error = Assert.Throws<FailException>(() => GoldenFile.AssertMatches(expected, "new\n", accepting: true, underCi: true));

        Assert.Contains("never in CI", error.Message, StringComparison.Ordinal);
        Assert.Equal("old\n", File.ReadAllText(expected));
    }

    [Fact]
    public void GoldenFile_AcceptLocally_WritesTheReceivedOutput()
    {
        using var dir = new TempDirectory();
        var expected = dir.Combine("case.expected.yaml");
        File.WriteAllText(expected, "old\n");

        GoldenFile.AssertMatches(expected, "new\n", accepting: true, underCi: false);

        Assert.Equal("new\n", File.ReadAllText(expected));
    }

    [Fact]
    public void GoldenFile_Mismatch_FailsAndWritesTheReceivedFile()
    {
        using var dir = new TempDirectory();
        var expected = dir.Combine("case.expected.yaml");
        File.WriteAllText(expected, "old\n");

        Assert.Throws<FailException>(() => GoldenFile.AssertMatches(expected, "new\n", accepting: false, underCi: true));

        Assert.Equal("new\n", File.ReadAllText(dir.Combine("case.received.yaml")));
        Assert.Equal("old\n", File.ReadAllText(expected));
    }
}
