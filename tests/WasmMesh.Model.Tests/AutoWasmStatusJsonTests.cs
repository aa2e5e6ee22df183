using System.Text.Json;
using Xunit;

namespace WasmMesh.Model.Tests;

/// <summary>Status digests are <see cref="Digest"/> values; on the wire they stay what they were: bare hex and algorithm:hex.</summary>
public sealed class AutoWasmStatusJsonTests
{
    private static readonly Digest Module = Digest.ComputeSha256("module"u8);
    private static readonly Digest Manifest = Digest.ComputeSha256("manifest"u8);

    [Fact]
    public void Serialize_Digests_WritesBareHexAndPrefixedManifestDigest()
    {
        var json = JsonSerializer.Serialize(new AutoWasmStatus { Sha256 = Module, ManifestDigest = Manifest }, ModelJsonContext.Default.AutoWasmStatus);

        Assert.Equal($"{{\"sha256\":\"{Module.Hex}\",\"manifestDigest\":\"{Manifest}\"}}", json);
    }

    [Fact]
    public void Serialize_NoDigests_WritesNeither()
    {
        var json = JsonSerializer.Serialize(new AutoWasmStatus { Message = "m" }, ModelJsonContext.Default.AutoWasmStatus);

        Assert.Equal("{\"message\":\"m\"}", json);
    }

    [Fact]
    public void Deserialize_WireFormat_RoundTrips()
    {
        var status = JsonSerializer.Deserialize($"{{\"sha256\":\"{Module.Hex}\",\"manifestDigest\":\"{Manifest}\"}}", ModelJsonContext.Default.AutoWasmStatus)!;

        Assert.Equal(Module, status.Sha256);
        Assert.Equal(Manifest, status.ManifestDigest);
    }

    [Theory]
    [InlineData("\"sha256\":\"sha256:0000\"")]
    [InlineData("\"sha256\":\"ABCDEF\"")]
    [InlineData("\"manifestDigest\":\"not-a-digest\"")]
    [InlineData("\"sha256\":null")]
    public void Deserialize_InvalidDigestEditedIntoTheStatus_ReadsAsAbsentWithoutFailingTheObject(string property)
    {
        var status = JsonSerializer.Deserialize($"{{\"message\":\"kept\",{property}}}", ModelJsonContext.Default.AutoWasmStatus)!;

        Assert.Equal("kept", status.Message);
        Assert.Null(status.Sha256);
        Assert.Null(status.ManifestDigest);
    }

    [Fact]
    public void Deserialize_DigestThatIsNotText_IsAJsonError()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"sha256\":42}", ModelJsonContext.Default.AutoWasmStatus));
    }

    [Fact]
    public void Serialize_Times_AreRfc3339InUtcWithoutFraction()
    {
        var at = new DateTimeOffset(2021, 10, 27, 10, 0, 36, TimeSpan.Zero);
        var status = new AutoWasmStatus
        {
            LastSyncTime = at,
            Conditions = new EquatableArray<StatusCondition>([new StatusCondition { Type = "Ready", Status = "True", LastTransitionTime = at }]),
        };

        var json = JsonSerializer.Serialize(status, ModelJsonContext.Default.AutoWasmStatus);

        Assert.Equal("{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"2021-10-27T10:00:36Z\"}],\"lastSyncTime\":\"2021-10-27T10:00:36Z\"}", json);
    }

    [Theory]
    [InlineData("2021-10-27T10:00:36Z")]
    [InlineData("2021-10-27T10:00:36.000000Z")]
    [InlineData("2021-10-27T12:00:36+02:00")]
    public void Deserialize_Times_ReadKubernetesTimeAndMicroTime(string text)
    {
        var status = JsonSerializer.Deserialize($"{{\"lastSyncTime\":\"{text}\",\"conditions\":[{{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"{text}\"}}]}}", ModelJsonContext.Default.AutoWasmStatus)!;

        var expected = new DateTimeOffset(2021, 10, 27, 10, 0, 36, TimeSpan.Zero);
        Assert.Equal(expected, status.LastSyncTime);
        Assert.Equal(expected, status.Conditions[0].LastTransitionTime);
    }
}
