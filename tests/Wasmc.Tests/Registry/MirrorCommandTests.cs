using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.Registry;

/// <summary>wasmc pull through mirrors: the source is an address nothing listens on, the mirror is a real registry.</summary>
public sealed class MirrorCommandTests(PlainRegistry registry) : IClassFixture<PlainRegistry>
{
    private const string DeadSource = "127.0.0.1:9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pull_DigestThroughImageDigestMirrorSet_FetchesFromTheMirrorAndSaysSo()
    {
        using var dir = new TempDirectory();
        var digest = await PushAsync(dir, "mirror-team/filter:v1");
        await File.WriteAllTextAsync(dir.Combine("mirrors.yaml"), $"""
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata:
              name: wasm
            spec:
              imageDigestMirrors:
              - source: {DeadSource}/team
                mirrors:
                - {registry.Server.Host}/mirror-team
                mirrorSourcePolicy: NeverContactSource
            """, Ct);

        var pull = await WasmcRun.RunAsync("pull", $"{DeadSource}/team/filter@{digest}", "-o", dir.Combine("out"), "--mirrors", dir.Combine("mirrors.yaml"));

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.EndsWith($"From: {registry.Server.Host}/mirror-team/filter@{digest}\n", pull.Out, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(dir.Combine("m.wasm"), Ct), await File.ReadAllBytesAsync(dir.Combine("out", "filter.wasm"), Ct));
    }

    [Fact]
    public async Task Pull_TagWithOnlyDigestMirrors_AsksTheSourceNeverTheDigestMirror()
    {
        using var dir = new TempDirectory();
        await PushAsync(dir, "mirror-team/filter:v1");
        var json = "{\"kind\":\"ImageDigestMirrorSet\",\"spec\":{\"imageDigestMirrors\":[{\"source\":\"" + DeadSource + "/team\",\"mirrors\":[\"" + registry.Server.Host + "/mirror-team\"],\"mirrorSourcePolicy\":\"NeverContactSource\"}]}}";
        await File.WriteAllTextAsync(dir.Combine("mirrors.yaml"), json, Ct);

        var pull = await WasmcRun.RunAsync("pull", $"{DeadSource}/team/filter:v1", "-o", dir.Combine("out"), "--mirrors", dir.Combine("mirrors.yaml"));

        Assert.Equal(1, pull.ExitCode);
        Assert.Empty(pull.Out);
        Assert.StartsWith($"wasmc: cannot reach registry {DeadSource}: ", pull.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_TagThroughHostsDirectory_PullOnlyMirrorIsNotAskedForTheTag()
    {
        using var dir = new TempDirectory();
        await PushAsync(dir, "team/filter:v1");
        var hosts = dir.Combine("certs.d");
        Directory.CreateDirectory(Path.Combine(hosts, DeadSource.Replace(":", "_") + "_"));
        await File.WriteAllTextAsync(Path.Combine(hosts, DeadSource.Replace(":", "_") + "_", "hosts.toml"), $"""
            [host."http://{registry.Server.Host}"]
              capabilities = ["pull"]
            """, Ct);

        var pull = await WasmcRun.RunAsync("pull", $"{DeadSource}/team/filter:v1", "-o", dir.Combine("out"), "--hosts-dir", hosts);

        Assert.Equal(1, pull.ExitCode);
        Assert.StartsWith($"wasmc: {DeadSource}/team/filter:v1: every source failed: {DeadSource}: ", pull.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Server.Host, pull.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_TagThroughHostsDirectory_MirrorWithResolveServesTagAndContent()
    {
        using var dir = new TempDirectory();
        var digest = await PushAsync(dir, "resolving/filter:v1");
        var hosts = dir.Combine("certs.d");
        Directory.CreateDirectory(Path.Combine(hosts, DeadSource));
        await File.WriteAllTextAsync(Path.Combine(hosts, DeadSource, "hosts.toml"), $"""
            server = "https://{DeadSource}"

            [host."http://{registry.Server.Host}"]
              capabilities = ["pull", "resolve"]
            """, Ct);

        var pull = await WasmcRun.RunAsync("pull", $"{DeadSource}/resolving/filter:v1", "-o", dir.Combine("out"), "--hosts-dir", hosts);
        var inspect = await WasmcRun.RunAsync("inspect", $"{DeadSource}/resolving/filter:v1", "--hosts-dir", hosts);

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.EndsWith($"From: {registry.Server.Host}/resolving/filter:v1@{digest}\n", pull.Out, StringComparison.Ordinal);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Contains($"Fetched from:    {registry.Server.Host}/resolving/filter:v1@{digest}\n", inspect.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_BadMirrorFiles_FailWithTheFileAndProblem()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("bad.yaml"), "kind: Deployment\n", Ct);

        var bad = await WasmcRun.RunAsync("pull", $"{DeadSource}/team/filter:v1", "--mirrors", dir.Combine("bad.yaml"));
        var missing = await WasmcRun.RunAsync("pull", $"{DeadSource}/team/filter:v1", "--hosts-dir", dir.Combine("absent"));

        Assert.Equal(1, bad.ExitCode);
        Assert.Equal($"wasmc: {dir.Combine("bad.yaml")}: document 1: kind 'Deployment' is not ImageDigestMirrorSet or ImageTagMirrorSet\n", bad.Error);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("is not a directory", missing.Error, StringComparison.Ordinal);
    }

    private async Task<string> PushAsync(TempDirectory dir, string repositoryAndTag)
    {
        var file = dir.Combine("m.wasm");
        await File.WriteAllBytesAsync(file, WasmModuleBuilder.Build(["proxy_abi_version_0_2_0"], seed: repositoryAndTag.Length), Ct);
        var push = await WasmcRun.RunAsync("push", $"{registry.Server.Host}/{repositoryAndTag}", "-f", file);
        Assert.True(push.ExitCode == 0, push.ToString());
        return push.Out.Split('\n')[1]["Digest: ".Length..];
    }
}
