using Xunit;

namespace WasmMesh.Core.Tests;

public sealed class HashingReadStreamTests
{
    private static readonly byte[] Data = Enumerable.Range(0, 1_000_000).Select(i => (byte)i).ToArray();

    [Fact]
    public async Task Drain_MatchingDigest_ReturnsIt()
    {
        var expected = Digest.ComputeSha256(Data);
        await using var stream = new HashingReadStream(new MemoryStream(Data), "blob", expected);
        Assert.Equal(expected, await stream.DrainAsync(TestContext.Current.CancellationToken));
        Assert.Equal(Data.Length, stream.BytesRead);
    }

    [Fact]
    public async Task Read_TamperedContent_ThrowsAtEnd()
    {
        var expected = Digest.ComputeSha256(Data);
        var tampered = (byte[])Data.Clone();
        tampered[500] ^= 0xff;
        await using var stream = new HashingReadStream(new MemoryStream(tampered), "blob", expected);
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => stream.DrainAsync(TestContext.Current.CancellationToken));
        Assert.Equal(expected, e.Expected);
        Assert.Equal(Digest.ComputeSha256(tampered), e.Actual);
    }

    [Fact]
    public async Task Read_OverLimit_ThrowsBeforeReadingEverything()
    {
        var source = new MemoryStream(Data);
        await using var stream = new HashingReadStream(source, "blob", maxLength: 10_000);
        var e = await Assert.ThrowsAsync<SizeLimitExceededException>(() => stream.DrainAsync(TestContext.Current.CancellationToken));
        Assert.Equal(10_000, e.Limit);
        Assert.True(source.Position < Data.Length);
        Assert.Equal("blob exceeds the limit of 10000 bytes; " + SizeLimitExceededException.DefaultRemedy, e.Message);
        Assert.DoesNotContain("option", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_OverLimitWithRemedy_QuotesIt()
    {
        await using var stream = new HashingReadStream(new MemoryStream(Data), "blob", maxLength: 10) { LimitRemedy = "raise --Wasmer:MaxModuleBytes" };
        var e = await Assert.ThrowsAsync<SizeLimitExceededException>(() => stream.DrainAsync(TestContext.Current.CancellationToken));
        Assert.Equal("blob exceeds the limit of 10 bytes; raise --Wasmer:MaxModuleBytes", e.Message);
    }
}
