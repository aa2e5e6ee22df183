using System.Text.Json;

namespace WasmMesh.Oci.Tests.Layouts;

public sealed class LayoutDetectorTests
{
    private static readonly byte[] Wasm = WasmModuleBuilder.Build();

    public static TheoryData<string> LayoutNames => new(TestLayouts.All(Wasm).Select(l => l.Expected.ToString()));

    [Theory]
    [MemberData(nameof(LayoutNames))]
    public void Detect_EveryLayoutInTheWild_IsRecognised(string name)
    {
        var layout = TestLayouts.All(Wasm).Single(l => l.Expected.ToString() == name);
        var manifest = JsonSerializer.Deserialize(layout.Manifest, OciJsonContext.Default.ImageManifest)!;

        var match = LayoutDetector.Detect(manifest, layout.MediaType, "test");

        Assert.Equal(layout.Expected, match.Layout);
        Assert.Equal(match.Layer.Digest, manifest.Layers.Last(l => l.MediaType != "text/markdown" && l.MediaType != MediaTypes.WasmeConfig).Digest);
    }

    [Fact]
    public void Candidates_OrasFile_IsTheTitledWasmLayerFirst()
    {
        var layout = TestLayouts.OrasFile(Wasm);
        var manifest = JsonSerializer.Deserialize(layout.Manifest, OciJsonContext.Default.ImageManifest)!;

        var candidates = LayoutDetector.Candidates(manifest, layout.MediaType, "test");

        Assert.Equal(WasmLayout.OrasFile, candidates[0].Layout);
        Assert.False(candidates[0].IsArchive);
        Assert.True(candidates[0].Probe);
        Assert.Equal(WasmMesh.Digest.ComputeSha256(Wasm), candidates[0].Layer.Digest);
    }

    [Fact]
    public void Candidates_PluginInAnEarlierLayer_TriesEveryTarLayerLastFirst()
    {
        var layout = TestLayouts.PluginInEarlierLayer(Wasm);
        var manifest = JsonSerializer.Deserialize(layout.Manifest, OciJsonContext.Default.ImageManifest)!;

        var candidates = LayoutDetector.Candidates(manifest, layout.MediaType, "test");

        Assert.Equal([manifest.Layers[1], manifest.Layers[0]], candidates.Select(c => c.Layer));
        Assert.All(candidates, c => Assert.True(c.IsArchive));
        Assert.All(candidates, c => Assert.Equal(WasmLayout.OciImage, c.Layout));
    }

    [Fact]
    public void Detect_UnknownLayerTypes_ThrowsNamingThem()
    {
        var manifest = JsonSerializer.Deserialize(
            TestLayouts.Manifest(MediaTypes.OciManifest, null, (MediaTypes.OciConfig, TestLayouts.Config()), [("application/zip", [1, 2], null)]),
            OciJsonContext.Default.ImageManifest)!;

        var error = Assert.Throws<UnsupportedWasmLayoutException>(() => LayoutDetector.Detect(manifest, null, "r/x:1"));

        Assert.Contains("application/zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_TwoRawLayersOfWasme_IsNotSingleRaw()
    {
        var manifest = JsonSerializer.Deserialize(
            TestLayouts.Manifest(MediaTypes.OciManifest, null, (MediaTypes.OciConfig, TestLayouts.Config()), [(MediaTypes.WasmeContentLayer, Wasm, null), (MediaTypes.WasmeContentLayer, [0, 1], null)]),
            OciJsonContext.Default.ImageManifest)!;

        Assert.Throws<UnsupportedWasmLayoutException>(() => LayoutDetector.Detect(manifest, null, "r/x:1"));
    }

    [Fact]
    public void SelectFromIndex_WasmPlatformPresent_PrefersIt()
    {
        var index = Index(("linux", "amd64"), ("wasip1", "wasm"), ("linux", "arm64"));

        Assert.Equal("wasm", LayoutDetector.SelectFromIndex(index, "t").Platform!.Architecture);
    }

    [Fact]
    public void SelectFromIndex_SingleManifestWithoutPlatform_TakesIt()
    {
        var index = Index((null, null));

        Assert.Null(LayoutDetector.SelectFromIndex(index, "t").Platform);
    }

    [Fact]
    public void SelectFromIndex_NoWasmPlatform_TakesLinuxAmd64()
    {
        var index = Index(("linux", "arm64"), ("linux", "amd64"));

        Assert.Equal("amd64", LayoutDetector.SelectFromIndex(index, "t").Platform!.Architecture);
    }

    [Fact]
    public void SelectFromIndex_NothingUsable_ThrowsListingPlatforms()
    {
        var index = Index(("linux", "arm64"), ("windows", "amd64"));

        var error = Assert.Throws<UnsupportedWasmLayoutException>(() => LayoutDetector.SelectFromIndex(index, "t"));

        Assert.Contains("linux/arm64", error.Message, StringComparison.Ordinal);
    }

    private static ImageIndex Index(params (string? Os, string? Arch)[] platforms)
    {
        var bytes = TestLayouts.Index(MediaTypes.OciIndex, platforms.Select((p, i) => (new byte[] { (byte)i }, MediaTypes.OciManifest, p.Os, p.Arch)).ToArray());
        return JsonSerializer.Deserialize(bytes, OciJsonContext.Default.ImageIndex)!;
    }
}
