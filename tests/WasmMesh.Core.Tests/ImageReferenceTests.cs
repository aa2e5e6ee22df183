using Xunit;

namespace WasmMesh.Core.Tests;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", "latest")]
    [InlineData("team/filter:v1", "docker.io", "team/filter", "v1")]
    [InlineData("registry.example.com/team/wasm-add-header:v0.3", "registry.example.com", "team/wasm-add-header", "v0.3")]
    [InlineData("127.0.0.1:5000/filters/add-header", "127.0.0.1:5000", "filters/add-header", "latest")]
    [InlineData("localhost/a", "localhost", "a", "latest")]
    [InlineData("ccr.ccs.tencentyun.com/xxx/wasm-add-header:v0.3", "ccr.ccs.tencentyun.com", "xxx/wasm-add-header", "v0.3")]
    [InlineData("[::1]:5000/a/b:c", "[::1]:5000", "a/b", "c")]
    public void Parse_Valid_AppliesDockerDefaults(string text, string registry, string repository, string tag)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal(tag, reference.ManifestReference);
    }

    [Fact]
    public void Parse_Digest_PinsManifest()
    {
        var reference = ImageReference.Parse("r.example.com/a@sha256:750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f");
        Assert.Null(reference.Tag);
        Assert.Equal("sha256:750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f", reference.ManifestReference);
        Assert.Equal("r.example.com/a@sha256:750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f", reference.ToString());
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("https://r.example.com/a:v1", "scheme")]
    [InlineData("r.example.com/A:v1", "lowercase")]
    [InlineData("r.example.com/a:-v1", "invalid tag")]
    [InlineData("r.example.com/a b", "white space")]
    [InlineData("r.example.com/a@sha256:abc", "invalid digest")]
    [InlineData("r.example.com/a//b", "path component")]
    [InlineData("r.example.com/", "no repository")]
    public void TryParse_Invalid_ExplainsWhy(string text, string expected)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/a", true)]
    [InlineData("127.8.9.10:5000/a", true)]
    [InlineData("localhost:5000/a", true)]
    [InlineData("[::1]:5000/a", true)]
    [InlineData("r.example.com/a", false)]
    [InlineData("10.0.0.1:5000/a", false)]
    public void IsLoopback_DetectsLoopbackRegistries(string text, bool loopback)
        => Assert.Equal(loopback, ImageReference.Parse(text).IsLoopback);

    [Fact]
    public void ApiHost_DockerHub_UsesRegistryHost()
        => Assert.Equal("registry-1.docker.io", ImageReference.Parse("alpine").ApiHost);
}
