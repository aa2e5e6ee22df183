using System.Text;

namespace WasmMesh.Oci.Tests.Auth;

public sealed class DockerConfigCredentialsTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void FromDockerConfigJson_AuthField_DecodesUserAndPassword()
    {
        var json = "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + B64("alice:pa:ss") + "\"}}}";

        var credentials = DockerConfigCredentials.FromDockerConfigJson(json).Find("127.0.0.1:5000");

        Assert.Equal(new RegistryCredentials("alice", "pa:ss"), credentials);
    }

    [Fact]
    public void FromDockerConfigJson_UsernamePasswordFields_AreRead()
    {
        var json = """{"auths":{"https://registry.example.com/v2/":{"username":"bob","password":"pw"}}}""";

        var credentials = DockerConfigCredentials.FromDockerConfigJson(json).Find("registry.example.com");

        Assert.Equal(new RegistryCredentials("bob", "pw"), credentials);
    }

    [Fact]
    public void FromDockerConfigJson_DockerHubUrlKey_IsFoundByDockerIo()
    {
        var json = "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + B64("u:p") + "\"}}}";

        var config = DockerConfigCredentials.FromDockerConfigJson(json);

        Assert.Equal("u", config.Find("docker.io")?.Username);
        Assert.Equal("u", config.Find(ImageReference.Parse("alpine").Registry)?.Username);
    }

    [Fact]
    public void FromDockerConfigJson_KubernetesLegacyDockercfg_IsRead()
    {
        var json = "{\"registry.example.com\":{\"auth\":\"" + B64("k8s:secret") + "\",\"email\":\"x@example.com\"}}";

        var credentials = DockerConfigCredentials.FromDockerConfigJson(json).Find("registry.example.com");

        Assert.Equal("k8s", credentials?.Username);
    }

    [Fact]
    public void FromDockerConfigJson_UnknownRegistry_ReturnsNull()
    {
        var json = "{\"auths\":{\"a.example.com\":{\"auth\":\"" + B64("u:p") + "\"}},\"credsStore\":\"desktop\"}";

        Assert.Null(DockerConfigCredentials.FromDockerConfigJson(json).Find("b.example.com"));
    }

    [Fact]
    public void FromDockerConfigJson_InvalidJson_ThrowsFormatExceptionWithoutSecret()
    {
        var error = Assert.Throws<FormatException>(() => DockerConfigCredentials.FromDockerConfigJson("{\"auths\": {\"h\": {\"auth\": \"c2VjcmV0\"}"));

        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDockerConfigJson_AuthNotBase64_Throws()
    {
        Assert.Throws<FormatException>(() => DockerConfigCredentials.FromDockerConfigJson("""{"auths":{"h":{"auth":"%%%"}}}"""));
    }

    [Fact]
    public void ToString_NeverShowsPassword()
    {
        var text = new RegistryCredentials("alice", "hunter2").ToString();

        Assert.Contains("alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerConfigFile_SetThenRemove_KeepsOtherFieldsAndIsPrivate()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.json");
        await File.WriteAllTextAsync(path, """{"auths":{"other.example.com":{"auth":"dTpw"}},"credHelpers":{"gcr.io":"gcloud"},"psFormat":"table"}""", TestContext.Current.CancellationToken);

        var file = await DockerConfigFile.LoadAsync(path, TestContext.Current.CancellationToken);
        file.SetCredentials("127.0.0.1:5000", new RegistryCredentials("alice", "pw"));
        await file.SaveAsync(TestContext.Current.CancellationToken);

        var loaded = await DockerConfigCredentials.LoadAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(new RegistryCredentials("alice", "pw"), loaded.Find("127.0.0.1:5000"));
        Assert.Equal("u", loaded.Find("other.example.com")?.Username);
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        Assert.Contains("gcloud", text, StringComparison.Ordinal);
        Assert.Contains("psFormat", text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var again = await DockerConfigFile.LoadAsync(path, TestContext.Current.CancellationToken);
        Assert.True(again.RemoveCredentials("127.0.0.1:5000"));
        Assert.False(again.RemoveCredentials("127.0.0.1:5000"));
        await again.SaveAsync(TestContext.Current.CancellationToken);
        var after = await DockerConfigCredentials.LoadAsync(path, TestContext.Current.CancellationToken);
        Assert.Null(after.Find("127.0.0.1:5000"));
        Assert.NotNull(after.Find("other.example.com"));
    }

    [Fact]
    public async Task LoadAsync_MissingFile_IsEmpty()
    {
        using var dir = new TempDirectory();

        var credentials = await DockerConfigCredentials.LoadAsync(dir.Combine("absent.json"), TestContext.Current.CancellationToken);

        Assert.Empty(credentials.Registries);
    }
}
