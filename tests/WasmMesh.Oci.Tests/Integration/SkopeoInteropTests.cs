using System.Text;
using System.Text.Json.Nodes;
using WasmMesh.Oci.Tests.Layouts;

namespace WasmMesh.Oci.Tests.Integration;

/// <summary>What the client pushes is read by skopeo, and what skopeo pushes is read by the client.</summary>
public sealed class SkopeoInteropTests(PlainRegistry registry) : IClassFixture<PlainRegistry>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(WasmPushFormat.Image)]
    [InlineData(WasmPushFormat.Artifact)]
    public async Task SkopeoInspectRaw_ManifestPushedByClient_IsTheSameManifest(WasmPushFormat format)
    {
        var skopeo = ExternalBinary.Require("skopeo", "skopeo");
        using var test = new TestClient();
        var reference = TestClient.Ref($"{registry.Server.Host}/skopeo/inspect-{format.ToString().ToLowerInvariant()}:v1");
        var push = await test.Client.PushAsync(reference, RepoPaths.Fixture(RepoPaths.AddConfiguredHeader), new WasmPushOptions { Format = format }, null, Ct);

        var result = await ProcessRunner.RunAsync(skopeo, ["inspect", "--raw", "--tls-verify=false", $"docker://{reference}"], cancellationToken: Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(push.ManifestDigest, Digest.ComputeSha256(Encoding.UTF8.GetBytes(result.StdOut.TrimEnd('\n'))));
        var manifest = JsonNode.Parse(result.StdOut)!;
        Assert.Equal(MediaTypes.OciManifest, (string?)manifest["mediaType"]);
    }

    [Theory]
    [InlineData(WasmPushFormat.Image)]
    [InlineData(WasmPushFormat.Artifact)]
    public async Task SkopeoCopyToOciLayout_ImagePushedByClient_KeepsManifestAndModule(WasmPushFormat format)
    {
        var skopeo = ExternalBinary.Require("skopeo", "skopeo");
        using var test = new TestClient();
        using var dir = new TempDirectory();
        var reference = TestClient.Ref($"{registry.Server.Host}/skopeo/copy-{format.ToString().ToLowerInvariant()}:v1");
        var push = await test.Client.PushAsync(reference, RepoPaths.Fixture(RepoPaths.AddHeader), new WasmPushOptions { Format = format }, null, Ct);

        var result = await ProcessRunner.RunAsync(skopeo, ["copy", "--src-tls-verify=false", $"docker://{reference}", $"oci:{dir.Combine("layout")}:v1"], cancellationToken: Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        var index = JsonNode.Parse(await File.ReadAllTextAsync(dir.Combine("layout", "index.json"), Ct))!;
        Assert.Equal(push.ManifestDigest.ToString(), (string?)index["manifests"]![0]!["digest"]);
        foreach (var layer in push.Manifest.Layers)
        {
            var blob = dir.Combine("layout", "blobs", "sha256", layer.Digest.Hex);
            Assert.Equal(layer.Digest, Digest.ComputeSha256(await File.ReadAllBytesAsync(blob, Ct)));
        }
    }

    [Theory]
    [InlineData("cncf")]
    [InlineData("oras")]
    [InlineData("oci-image")]
    [InlineData("oras-file")]
    [InlineData("oras-file-by-magic")]
    [InlineData("plugin-in-earlier-layer")]
    public async Task PullAsync_LayoutPushedBySkopeoFromOciLayout_IsByteIdentical(string kind)
    {
        var skopeo = ExternalBinary.Require("skopeo", "skopeo");
        var wasm = WasmModuleBuilder.Build(padding: 20_000, seed: 21);
        var layout = kind switch
        {
            "cncf" => TestLayouts.Raw(WasmLayout.CncfWasmArtifact, MediaTypes.CncfWasmConfig, "{}"u8.ToArray(), MediaTypes.CncfWasmLayer, wasm),
            "oras" => TestLayouts.OrasArchive(wasm),
            "oras-file" => TestLayouts.OrasFile(wasm),
            "oras-file-by-magic" => TestLayouts.OrasFile(wasm, "filter"),
            "plugin-in-earlier-layer" => TestLayouts.PluginInEarlierLayer(wasm),
            _ => TestLayouts.OciImage(wasm, "./plugin.wasm"),
        };
        using var dir = new TempDirectory();
        var reference = await CopyWithSkopeoAsync(skopeo, dir, layout, $"from-{kind}");

        using var test = new TestClient();
        await using var pull = await test.Client.PullAsync(reference, null, Ct);
        var saved = await pull.SaveToFileAsync(dir.Combine("out", "filter.wasm"), null, Ct);
        Assert.Equal(layout.Expected, pull.Layout);
        Assert.Equal(wasm, await File.ReadAllBytesAsync(saved.Path, Ct));
    }

    [Fact]
    public async Task PullAsync_ImageHoldingNoModule_SaysWhatEachLayerHolds()
    {
        var skopeo = ExternalBinary.Require("skopeo", "skopeo");
        var layout = TestLayouts.NoModule();
        using var dir = new TempDirectory();
        var reference = await CopyWithSkopeoAsync(skopeo, dir, layout, "no-module");

        using var test = new TestClient();
        var error = await Assert.ThrowsAsync<UnsupportedWasmLayoutException>(() => test.Client.PullAsync(reference, null, Ct));

        Assert.Contains($"layer 1 ({MediaTypes.OciLayerTarGzip}) holds files README.md, etc/config.yaml, no plugin.wasm", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer 2 (text/plain \"NOTES.txt\") holds a file starting with", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes a layout as an OCI layout directory and copies it into the registry with <c>skopeo copy oci:… docker://…</c>.</summary>
    private async Task<ImageReference> CopyWithSkopeoAsync(string skopeo, TempDirectory dir, BuiltLayout layout, string repository)
    {
        var ociDir = dir.Combine("layout");
        await WriteOciLayoutAsync(ociDir, layout, "v1");
        var reference = TestClient.Ref($"{registry.Server.Host}/skopeo/{repository}:v1");
        var result = await ProcessRunner.RunAsync(skopeo, ["copy", "--dest-tls-verify=false", $"oci:{ociDir}:v1", $"docker://{reference}"], cancellationToken: Ct);
        Assert.True(result.ExitCode == 0, result.ToString());
        return reference;
    }

    private static async Task WriteOciLayoutAsync(string path, BuiltLayout layout, string tag)
    {
        var blobs = Path.Combine(path, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        await File.WriteAllTextAsync(Path.Combine(path, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}", Ct);
        foreach (var blob in layout.Blobs.Append(layout.Manifest))
        {
            await File.WriteAllBytesAsync(Path.Combine(blobs, Digest.ComputeSha256(blob).Hex), blob, Ct);
        }

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = layout.MediaType,
                ["digest"] = Digest.ComputeSha256(layout.Manifest).ToString(),
                ["size"] = layout.Manifest.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag },
            }),
        };
        await File.WriteAllTextAsync(Path.Combine(path, "index.json"), index.ToJsonString(), Ct);
    }
}
