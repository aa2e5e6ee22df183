using System.Text.Json.Nodes;
using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.Registry;

public sealed class AuthCommandTests(BasicAuthRegistry registry) : IClassFixture<BasicAuthRegistry>
{
    private string User => registry.Server.Options.Username;

    private string Password => registry.Server.Options.Password;

    [Fact]
    public async Task LoginPushPullLogout_HtpasswdRegistry_StoresUsesAndRemovesCredentials()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("docker", "config.json");
        var host = registry.Server.Host;
        var reference = $"{host}/team/secured:v1";

        var login = await WasmcRun.RunWithInputAsync(Password + "\n", "login", host, "-u", User, "--password-stdin", "--registry-config", config);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal("Login Succeeded\n", login.Out);
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(config, TestContext.Current.CancellationToken))!;
        Assert.Equal(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")), (string?)stored["auths"]![host]!["auth"]);

        var push = await WasmcRun.RunAsync("push", reference, "-f", RepoPaths.Fixture(RepoPaths.AddConfiguredHeader), "--registry-config", config);
        Assert.True(push.ExitCode == 0, push.ToString());
        var pull = await WasmcRun.RunAsync("pull", reference, "-o", dir.Combine("out"), "--registry-config", config);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains(RepoPaths.AddConfiguredHeaderSha256, pull.Out, StringComparison.Ordinal);

        var logout = await WasmcRun.RunAsync("logout", host, "--registry-config", config);
        Assert.Equal($"Removing login credentials for {host}\n", logout.Out);
        var denied = await WasmcRun.RunAsync("pull", reference, "-o", dir.Combine("again"), "--registry-config", config);
        Assert.Equal(1, denied.ExitCode);
        Assert.StartsWith("wasmc: authentication failed", denied.Error, StringComparison.Ordinal);
        Assert.Contains($"wasmc login {host}", denied.Error, StringComparison.Ordinal);
        Assert.Single(denied.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Login_WrongPassword_FailsClearlyAndStoresNothing()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("config.json");

        var login = await WasmcRun.RunAsync("login", registry.Server.Host, "-u", User, "-p", "definitely-wrong", "--registry-config", config);

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("wasmc: authentication failed", login.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("definitely-wrong", login.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(config));
    }

    [Fact]
    public async Task Login_BothPasswordOptions_IsAUsageError()
    {
        using var dir = new TempDirectory();

        var login = await WasmcRun.RunWithInputAsync("pw", "login", registry.Server.Host, "-u", User, "-p", "x", "--password-stdin", "--registry-config", dir.Combine("c.json"));

        Assert.Equal(2, login.ExitCode);
        Assert.Contains("exactly one of --password-stdin and --password", login.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_NotLoggedIn_SaysSo()
    {
        using var dir = new TempDirectory();

        var logout = await WasmcRun.RunAsync("logout", "registry.example.com", "--registry-config", dir.Combine("c.json"));

        Assert.Equal(0, logout.ExitCode);
        Assert.Equal("Not logged in to registry.example.com\n", logout.Out);
    }
}
