using WasmMesh.Oci.Tests.Layouts;

namespace WasmMesh.Oci.Tests.Integration;

public sealed class OtherLayoutTests(PlainRegistry registry) : IClassFixture<PlainRegistry>
{
    private static readonly byte[] Wasm = WasmModuleBuilder.Build(padding: 40_000, seed: 7);

    public static TheoryData<string> Layouts => new(TestLayouts.All(Wasm).Select(l => l.Expected.ToString()));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task PullAsync_LayoutWrittenByAnotherTool_IsByteIdentical(string name)
    {
        var layout = TestLayouts.All(Wasm).Single(l => l.Expected.ToString() == name);
        using var test = new TestClient();
        var reference = TestClient.Ref($"{registry.Server.Host}/layouts/{name.ToLowerInvariant()}:v1");
        var digest = await test.PushRawAsync(reference, layout.Blobs, layout.Manifest, layout.MediaType);

        await using var pull = await test.Client.PullAsync(reference, null, Ct);
        using var buffer = new MemoryStream();
        await pull.Content.CopyToAsync(buffer, Ct);

        Assert.Equal(layout.Expected, pull.Layout);
        Assert.Equal(digest, pull.ManifestDigest);
        Assert.Equal(Wasm, buffer.ToArray());
        Assert.Equal(Digest.ComputeSha256(Wasm), pull.WasmSha256);
    }

    [Fact]
    public async Task PullAsync_OciIndexWithWasmAndLinuxEntries_PicksWasmPlatform()
    {
        using var test = new TestClient();
        var host = registry.Server.Host;
        var wasmLayout = TestLayouts.Raw(WasmLayout.CncfWasmArtifact, MediaTypes.CncfWasmConfig, "{}"u8.ToArray(), MediaTypes.CncfWasmLayer, Wasm);
        var other = WasmModuleBuilder.Build(padding: 10, seed: 99);
        var linuxLayout = TestLayouts.OciImage(other, "plugin.wasm");
        var repo = $"{host}/layouts/index";
        var wasmDigest = await test.PushRawAsync(TestClient.Ref($"{repo}:wasm"), wasmLayout.Blobs, wasmLayout.Manifest, wasmLayout.MediaType);
        await test.PushRawAsync(TestClient.Ref($"{repo}:linux"), linuxLayout.Blobs, linuxLayout.Manifest, linuxLayout.MediaType);
        var index = TestLayouts.Index(MediaTypes.OciIndex, (linuxLayout.Manifest, MediaTypes.OciManifest, "linux", "amd64"), (wasmLayout.Manifest, MediaTypes.OciManifest, "wasip1", "wasm"));
        var indexDigest = await test.PushRawAsync(TestClient.Ref($"{repo}:multi"), [], index, MediaTypes.OciIndex);

        await using var pull = await test.Client.PullAsync(TestClient.Ref($"{repo}:multi"), null, Ct);
        using var buffer = new MemoryStream();
        await pull.Content.CopyToAsync(buffer, Ct);

        Assert.Equal(Wasm, buffer.ToArray());
        Assert.Equal(indexDigest, pull.ManifestDigest);
        Assert.Equal(wasmDigest, pull.ImageManifestDigest);
        Assert.Equal(MediaTypes.OciIndex, pull.ManifestMediaType);
    }

    [Fact]
    public async Task PullAsync_DockerManifestListWithLinuxAmd64_PicksIt()
    {
        using var test = new TestClient();
        var repo = $"{registry.Server.Host}/layouts/list";
        var docker = TestLayouts.DockerImage(Wasm);
        var arm = TestLayouts.DockerImage(WasmModuleBuilder.Build(seed: 5));
        await test.PushRawAsync(TestClient.Ref($"{repo}:amd64"), docker.Blobs, docker.Manifest, docker.MediaType);
        await test.PushRawAsync(TestClient.Ref($"{repo}:arm64"), arm.Blobs, arm.Manifest, arm.MediaType);
        var list = TestLayouts.Index(MediaTypes.DockerManifestList, (arm.Manifest, MediaTypes.DockerManifest, "linux", "arm64"), (docker.Manifest, MediaTypes.DockerManifest, "linux", "amd64"));
        await test.PushRawAsync(TestClient.Ref($"{repo}:multi"), [], list, MediaTypes.DockerManifestList);

        await using var pull = await test.Client.PullAsync(TestClient.Ref($"{repo}:multi"), null, Ct);
        using var buffer = new MemoryStream();
        await pull.Content.CopyToAsync(buffer, Ct);

        Assert.Equal(WasmLayout.DockerImage, pull.Layout);
        Assert.Equal(Wasm, buffer.ToArray());
    }

    [Fact]
    public async Task PullAsync_ArchiveWithoutPluginWasm_ThrowsUnsupportedLayout()
    {
        using var test = new TestClient();
        var layer = TestLayouts.TarGz(("other.wasm", Wasm));
        var config = TestLayouts.Config();
        var manifest = TestLayouts.Manifest(MediaTypes.OciManifest, null, (MediaTypes.OciConfig, config), [(MediaTypes.OciLayerTarGzip, layer, null)]);
        var reference = TestClient.Ref($"{registry.Server.Host}/layouts/noplugin:v1");
        await test.PushRawAsync(reference, [config, layer], manifest, MediaTypes.OciManifest);

        var error = await Assert.ThrowsAsync<UnsupportedWasmLayoutException>(() => test.Client.PullAsync(reference, null, Ct));

        Assert.Contains("plugin.wasm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_RawLayerThatIsNotWasm_ThrowsInvalidWasmModule()
    {
        using var test = new TestClient();
        var notWasm = "<html>not a module</html>"u8.ToArray();
        var layout = TestLayouts.Raw(WasmLayout.CncfWasmArtifact, MediaTypes.CncfWasmConfig, "{}"u8.ToArray(), MediaTypes.CncfWasmLayer, notWasm);
        var reference = TestClient.Ref($"{registry.Server.Host}/layouts/notwasm:v1");
        await test.PushRawAsync(reference, layout.Blobs, layout.Manifest, layout.MediaType);

        await Assert.ThrowsAsync<InvalidWasmModuleException>(() => test.Client.PullAsync(reference, null, Ct));
    }
}
