using System.Text;
using System.Text.Json.Nodes;
using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.Registry;

/// <summary>wasmc save and load through a real registry, checked against skopeo's oci-archive transport.</summary>
public sealed class ArchiveCommandTests(PlainRegistry registry) : IClassFixture<PlainRegistry>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveWithSignaturesThenLoad_ElsewhereKeepsDigestsTagsSignatureAndBytes()
    {
        var skopeo = ExternalBinary.Require("skopeo", "skopeo");
        using var dir = new TempDirectory();
        using var raw = new RawRegistry(registry.Server);
        var host = registry.Server.Host;
        var v1 = await PushAsync(dir, "airgap/source:v1", 1);
        var v2 = await PushAsync(dir, "airgap/source:v2", 2);
        await WasmcRun.RunAsync("generate-key", "--output-key-prefix", dir.Combine("cosign"));
        var sign = await WasmcRun.RunAsync("sign", "--key", dir.Combine("cosign.key"), $"{host}/airgap/source:v1");
        Assert.True(sign.ExitCode == 0, sign.ToString());
        var archive = dir.Combine("modules.tar");

        var save = await WasmcRun.RunAsync("save", $"{host}/airgap/source:v1", $"{host}/airgap/source:v2", "-o", archive, "--with-signatures");
        var inspect = await ProcessRunner.RunAsync(skopeo, ["inspect", "--raw", $"oci-archive:{archive}:v1"], cancellationToken: Ct);
        var load = await WasmcRun.RunAsync("load", archive, "--to", $"{host}/airgap/target");
        var verify = await WasmcRun.RunAsync("verify", "--key", dir.Combine("cosign.pub"), $"{host}/airgap/target:v1");
        var pull = await WasmcRun.RunAsync("pull", $"{host}/airgap/target:v2", "-o", dir.Combine("out"));

        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.StartsWith($"Saved v1 {v1}\nSaved {v1.Replace(':', '-')}.sig sha256:", save.Out, StringComparison.Ordinal);
        Assert.Contains($"Saved v2 {v2}\n", save.Out, StringComparison.Ordinal);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Equal(await raw.GetManifestAsync("airgap/source", "v1", Ct), Encoding.UTF8.GetBytes(inspect.StdOut.TrimEnd('\n')));
        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.Contains($"Loaded {host}/airgap/target:v1@{v1}\n", load.Out, StringComparison.Ordinal);
        Assert.Contains($"Loaded {host}/airgap/target:v2@{v2}\n", load.Out, StringComparison.Ordinal);
        Assert.Equal(v1, RawRegistry.Sha256(await raw.GetManifestAsync("airgap/target", "v1", Ct)));
        Assert.Equal(v2, RawRegistry.Sha256(await raw.GetManifestAsync("airgap/target", "v2", Ct)));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(dir.Combine("m2.wasm"), Ct), await File.ReadAllBytesAsync(dir.Combine("out", "filter.wasm"), Ct));
    }

    [Fact]
    public async Task Save_IndexJsonCarriesTagsAsRefNames_AndSkopeoReadsEveryTag()
    {
        var skopeo = ExternalBinary.Require("skopeo", "skopeo");
        using var dir = new TempDirectory();
        var host = registry.Server.Host;
        var digest = await PushAsync(dir, "airgap/tags:stable", 3);
        var archive = dir.Combine("tags.tar");

        var save = await WasmcRun.RunAsync("save", $"{host}/airgap/tags:stable", "-o", archive);
        var extract = await ProcessRunner.RunAsync("tar", ["-xf", archive, "-C", dir.Path], cancellationToken: Ct);
        var inspect = await ProcessRunner.RunAsync(skopeo, ["inspect", "--raw", $"oci-archive:{archive}:stable"], cancellationToken: Ct);

        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.True(extract.ExitCode == 0, extract.ToString());
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", await File.ReadAllTextAsync(dir.Combine("oci-layout"), Ct));
        var index = JsonNode.Parse(await File.ReadAllTextAsync(dir.Combine("index.json"), Ct))!;
        var entry = index["manifests"]!.AsArray().Single()!;
        Assert.Equal(digest, (string?)entry["digest"]);
        Assert.Equal("stable", (string?)entry["annotations"]!["org.opencontainers.image.ref.name"]);
        Assert.True(File.Exists(dir.Combine("blobs", "sha256", digest["sha256:".Length..])));
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Equal(digest, RawRegistry.Sha256(Encoding.UTF8.GetBytes(inspect.StdOut.TrimEnd('\n'))));
    }

    [Fact]
    public async Task Load_ArchiveWrittenBySkopeo_PreservesTheDigest()
    {
        var skopeo = ExternalBinary.Require("skopeo", "skopeo");
        using var dir = new TempDirectory();
        using var raw = new RawRegistry(registry.Server);
        var host = registry.Server.Host;
        var digest = await PushAsync(dir, "airgap/by-skopeo:v1", 4);
        var archive = dir.Combine("skopeo.tar");
        var copy = await ProcessRunner.RunAsync(skopeo, ["copy", "--src-tls-verify=false", $"docker://{host}/airgap/by-skopeo:v1", $"oci-archive:{archive}:v1"], cancellationToken: Ct);
        Assert.True(copy.ExitCode == 0, copy.ToString());

        var load = await WasmcRun.RunAsync("load", archive, "--to", $"{host}/airgap/from-skopeo");

        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.Contains($"Loaded {host}/airgap/from-skopeo:v1@{digest}\n", load.Out, StringComparison.Ordinal);
        Assert.Equal(digest, RawRegistry.Sha256(await raw.GetManifestAsync("airgap/from-skopeo", "v1", Ct)));
    }

    [Fact]
    public async Task Load_LayoutMissingABlob_FailsBeforePushingAnything()
    {
        using var dir = new TempDirectory();
        var host = registry.Server.Host;
        await PushAsync(dir, "airgap/broken:v1", 5);
        var archive = dir.Combine("broken.tar");
        await WasmcRun.RunAsync("save", $"{host}/airgap/broken:v1", "-o", archive);
        var layout = dir.Combine("layout");
        Directory.CreateDirectory(layout);
        var extract = await ProcessRunner.RunAsync("tar", ["-xf", archive, "-C", layout], cancellationToken: Ct);
        Assert.True(extract.ExitCode == 0, extract.ToString());
        var manifestDigest = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json"), Ct))!["manifests"]![0]!["digest"]!;
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "blobs", "sha256", manifestDigest["sha256:".Length..]), Ct))!;
        var layer = (string)manifest["layers"]![0]!["digest"]!;
        File.Delete(Path.Combine(layout, "blobs", "sha256", layer["sha256:".Length..]));

        var load = await WasmcRun.RunAsync("load", layout, "--to", $"{host}/airgap/never");
        var pull = await WasmcRun.RunAsync("pull", $"{host}/airgap/never:v1", "-o", dir.Combine("out"));

        Assert.Equal(1, load.ExitCode);
        Assert.Empty(load.Out);
        Assert.Equal($"wasmc: {layout}: blob {layer} of manifest {manifestDigest} is missing from the archive\n", load.Error);
        Assert.Equal(1, pull.ExitCode);
    }

    [Fact]
    public async Task LoadAndSave_BadInputs_FailWithClearMessagesAndNoOutputFile()
    {
        using var dir = new TempDirectory();
        var host = registry.Server.Host;
        await File.WriteAllTextAsync(dir.Combine("junk.tar"), "this is not a tar file at all", Ct);

        var junk = await WasmcRun.RunAsync("load", dir.Combine("junk.tar"), "--to", $"{host}/airgap/junk");
        var tagged = await WasmcRun.RunAsync("load", dir.Combine("junk.tar"), "--to", $"{host}/airgap/junk:v1");
        var missing = await WasmcRun.RunAsync("save", $"{host}/airgap/absent:v1", "-o", dir.Combine("absent.tar"));

        Assert.Equal(1, junk.ExitCode);
        Assert.StartsWith($"wasmc: {dir.Combine("junk.tar")}: ", junk.Error, StringComparison.Ordinal);
        Assert.Equal(2, tagged.ExitCode);
        Assert.Contains("give only the repository", tagged.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("not found", missing.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "*absent*", SearchOption.AllDirectories));
    }

    private async Task<string> PushAsync(TempDirectory dir, string repositoryAndTag, int seed)
    {
        var file = dir.Combine($"m{seed}.wasm");
        await File.WriteAllBytesAsync(file, WasmModuleBuilder.Build(["proxy_abi_version_0_2_0"], seed: seed), Ct);
        var push = await WasmcRun.RunAsync("push", $"{registry.Server.Host}/{repositoryAndTag}", "-f", file);
        Assert.True(push.ExitCode == 0, push.ToString());
        return push.Out.Split('\n')[1]["Digest: ".Length..];
    }
}
