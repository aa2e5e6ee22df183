using System.Text;
using Xunit;

namespace WasmMesh.Core.Tests;

public sealed class DigestTests
{
    private const string Hex = "750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f";

    [Fact]
    public void Parse_Sha256_RoundTrips()
    {
        var digest = Digest.Parse("sha256:" + Hex);
        Assert.Equal("sha256", digest.Algorithm);
        Assert.Equal(Hex, digest.Hex);
        Assert.Equal("sha256:" + Hex, digest.ToString());
        Assert.Equal(digest, Digest.FromSha256Hex(Hex));
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("sha256", "not a digest")]
    [InlineData("md5:abc", "not supported")]
    [InlineData("sha256:abc", "has 64 hex digits")]
    [InlineData("sha256:750D63889653E7117FCBC0831F10F0E1D3F7EC0C82FE5787B71D08A783E3393F", "lowercase")]
    [InlineData("sha256:750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393g", "not a hex digit")]
    public void TryParse_Invalid_ExplainsWhy(string text, string expected)
    {
        Assert.False(Digest.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Digest.Parse(text));
    }

    [Fact]
    public void TryParseSha256_AcceptsBareOrPrefixedHex()
    {
        Assert.True(Digest.TryParseSha256(Hex, out var bare, out _));
        Assert.True(Digest.TryParseSha256("sha256:" + Hex, out var prefixed, out _));
        Assert.Equal(bare, prefixed);
    }

    [Fact]
    public async Task ComputeSha256Async_Stream_EqualsSpanHash()
    {
        var data = Encoding.UTF8.GetBytes("hello wasm");
        var fromStream = await Digest.ComputeSha256Async(new MemoryStream(data), TestContext.Current.CancellationToken);
        Assert.Equal(Digest.ComputeSha256(data), fromStream);
        Assert.Equal("sha256:6a66bd87ffb6a0a8bb2ae12b6c3c7c6e0e7e0bd9f3ec6d4c4e5d3b5c1a2f6b0e".Length, fromStream.ToString().Length);
    }
}
