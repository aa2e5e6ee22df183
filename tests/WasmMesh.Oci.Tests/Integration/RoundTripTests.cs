namespace WasmMesh.Oci.Tests.Integration;

public sealed class RoundTripTests(PlainRegistry registry) : IClassFixture<PlainRegistry>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Modules.FixturesAndFormats), MemberType = typeof(Modules))]
    public async Task PushThenPull_ReferenceFixture_IsByteIdentical(string fixture, WasmPushFormat format)
    {
        var file = RepoPaths.Fixture(fixture);
        using var test = new TestClient();

        var (push, saved, layout) = await Modules.RoundTripAsync(test.Client, registry.Server.Host, file, format);

        Assert.Equal(Modules.Sha256Of(fixture), saved.Sha256.Hex);
        Assert.Equal(format == WasmPushFormat.Image ? WasmLayout.OciImage : WasmLayout.WasmeArtifact, layout);
        Assert.Equal(new FileInfo(file).Length, saved.Size);
        Assert.Equal(push.WasmSize, saved.Size);
    }

    [Theory]
    [InlineData(WasmPushFormat.Image)]
    [InlineData(WasmPushFormat.Artifact)]
    public async Task PushAsync_SameFileTwice_GivesSameManifestDigest(WasmPushFormat format)
    {
        var file = RepoPaths.Fixture(RepoPaths.AddConfiguredHeader);
        using var test = new TestClient();
        var host = registry.Server.Host;
        var options = new WasmPushOptions { Format = format, Annotations = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } };

        var first = await test.Client.PushAsync(TestClient.Ref($"{host}/repro/one:v1"), file, options, null, Ct);
        var second = await test.Client.PushAsync(TestClient.Ref($"{host}/repro/two:v2"), file, options, null, Ct);

        Assert.Equal(first.ManifestDigest, second.ManifestDigest);
    }

    [Fact]
    public async Task PushAsync_ImageFormat_WritesCompatImageManifest()
    {
        var file = RepoPaths.Fixture(RepoPaths.AddHeader);
        using var test = new TestClient();

        var push = await test.Client.PushAsync(TestClient.Ref($"{registry.Server.Host}/compat/filter:v1"), file, new WasmPushOptions(), null, Ct);

        Assert.Equal(MediaTypes.OciManifest, push.Manifest.MediaType);
        Assert.Equal(MediaTypes.OciConfig, push.Manifest.Config.MediaType);
        Assert.Equal(MediaTypes.OciLayerTarGzip, Assert.Single(push.Manifest.Layers).MediaType);
        Assert.Equal("compat", push.Manifest.Annotations!["module.wasm.image/variant"]);
    }

    [Fact]
    public async Task PushAsync_ArtifactFormat_WritesWasmeTwoLayerShape()
    {
        var file = RepoPaths.Fixture(RepoPaths.AddHeader);
        using var test = new TestClient();

        var push = await test.Client.PushAsync(TestClient.Ref($"{registry.Server.Host}/wasme/filter:v1"), file, new WasmPushOptions { Format = WasmPushFormat.Artifact }, null, Ct);

        Assert.Equal(MediaTypes.WasmeConfig, push.Manifest.Config.MediaType);
        Assert.Equal([MediaTypes.WasmeConfig, MediaTypes.WasmeContentLayer], push.Manifest.Layers.Select(l => l.MediaType));
        Assert.Equal(push.Manifest.Config.Digest, push.Manifest.Layers[0].Digest);
        Assert.Equal(push.WasmSha256, push.Manifest.Layers[1].Digest);
    }

    [Fact]
    public async Task ResolveAsync_Tag_ReturnsPushedManifestDigest()
    {
        using var test = new TestClient();
        var reference = TestClient.Ref($"{registry.Server.Host}/resolve/filter:v1");
        var push = await test.Client.PushAsync(reference, RepoPaths.Fixture(RepoPaths.AddHeader), new WasmPushOptions(), null, Ct);

        Assert.Equal(push.ManifestDigest, await test.Client.ResolveAsync(reference, null, Ct));
    }

    [Fact]
    public async Task InspectAsync_PushedFixture_ReportsLayoutDigestsAndAbi()
    {
        using var test = new TestClient();
        var reference = TestClient.Ref($"{registry.Server.Host}/inspect/filter:v1");
        var push = await test.Client.PushAsync(reference, RepoPaths.Fixture(RepoPaths.AddConfiguredHeader), new WasmPushOptions(), null, Ct);

        var info = await test.Client.InspectAsync(reference, null, Ct);

        Assert.Equal(WasmLayout.OciImage, info.Layout);
        Assert.Equal(push.ManifestDigest, info.ManifestDigest);
        Assert.Equal(RepoPaths.AddConfiguredHeaderSha256, info.WasmSha256.Hex);
        Assert.Equal(RepoPaths.AddConfiguredHeaderSize, info.WasmSize);
        Assert.StartsWith("proxy_abi_version_", info.Module.ProxyAbiVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_ByDigest_Works()
    {
        using var test = new TestClient();
        var push = await test.Client.PushAsync(TestClient.Ref($"{registry.Server.Host}/bydigest/filter:v1"), RepoPaths.Fixture(RepoPaths.AddHeader), new WasmPushOptions { Format = WasmPushFormat.Artifact }, null, Ct);

        await using var pull = await test.Client.PullAsync(TestClient.Ref($"{registry.Server.Host}/bydigest/filter@{push.ManifestDigest}"), null, Ct);

        Assert.Equal(push.WasmSha256, pull.WasmSha256);
        Assert.Equal(WasmLayout.WasmeArtifact, pull.Layout);
    }

    [Fact]
    public async Task PushAsync_LargeModuleInChunks_RoundTrips()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("big.wasm");
        WasmModuleBuilder.WriteLargeModule(file, 3 * 1024 * 1024 + 123);
        using var test = new TestClient(o =>
        {
            o.MonolithicUploadLimit = 1024 * 1024;
            o.UploadChunkSize = 700 * 1024;
        });

        var (_, saved, _) = await Modules.RoundTripAsync(test.Client, registry.Server.Host, file, WasmPushFormat.Artifact);

        Assert.Equal(new FileInfo(file).Length, saved.Size);
    }

    [Fact]
    public async Task PushAsync_ImageStreamedWhileCompressing_MatchesTheLayerWriterAndReportsProgress()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("big.wasm");
        WasmModuleBuilder.WriteLargeModule(file, 3 * 1024 * 1024 + 321, seed: 9);
        using var layer = new MemoryStream();
        var expected = await ImageLayerWriter.WriteAsync(file, layer, Ct);
        using var test = new TestClient();
        var reports = new List<TransferProgress>();
        var progress = new SynchronousProgress(reports.Add);

        var push = await test.Client.PushAsync(TestClient.Ref($"{registry.Server.Host}/streamed/big:v1"), file, new WasmPushOptions(), progress, Ct);
        await using var pull = await test.Client.PullAsync(TestClient.Ref($"{registry.Server.Host}/streamed/big:v1"), null, Ct);
        var saved = await pull.SaveToFileAsync(dir.Combine("out.wasm"), null, Ct);

        var pushedLayer = Assert.Single(push.Manifest.Layers);
        Assert.Equal(expected.Digest, pushedLayer.Digest);
        Assert.Equal(expected.Size, pushedLayer.Size);
        Assert.Equal(expected.WasmSha256, push.WasmSha256);
        Assert.Equal(Digest.ComputeSha256(await File.ReadAllBytesAsync(file, Ct)), push.WasmSha256);
        Assert.Equal(push.WasmSha256, saved.Sha256);
        Assert.Equal(await File.ReadAllBytesAsync(file, Ct), await File.ReadAllBytesAsync(saved.Path, Ct));
        Assert.Equal(push.ManifestDigest, pull.ManifestDigest);
        Assert.NotEmpty(reports);
        Assert.Equal(reports[^1].TotalBytes, reports[^1].BytesTransferred);
        Assert.True(reports[^1].BytesTransferred > new FileInfo(file).Length, "the config is part of the total");
        Assert.Equal(reports.Select(r => r.BytesTransferred).Order(), reports.Select(r => r.BytesTransferred));
    }

    [Fact]
    public async Task PushAsync_ImageToItsOwnDigest_PushesTheSameManifestAsATag()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("m.wasm");
        WasmModuleBuilder.WriteLargeModule(file, 200 * 1024, seed: 4);
        using var test = new TestClient();
        var tagged = await test.Client.PushAsync(TestClient.Ref($"{registry.Server.Host}/bydigest/a:v1"), file, new WasmPushOptions(), null, Ct);

        var byDigest = await test.Client.PushAsync(TestClient.Ref($"{registry.Server.Host}/bydigest/b@{tagged.ManifestDigest}"), file, new WasmPushOptions(), null, Ct);

        Assert.Equal(tagged.ManifestDigest, byDigest.ManifestDigest);
        Assert.Equal(tagged.WasmSha256, byDigest.WasmSha256);
    }

    [Fact]
    public async Task PullAsync_MissingTag_ThrowsNotFound()
    {
        using var test = new TestClient();
        await test.Client.PushAsync(TestClient.Ref($"{registry.Server.Host}/missing/filter:v1"), RepoPaths.Fixture(RepoPaths.AddHeader), new WasmPushOptions(), null, Ct);

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.PullAsync(TestClient.Ref($"{registry.Server.Host}/missing/filter:nope"), null, Ct));

        Assert.True(error.IsNotFound);
        Assert.Contains("MANIFEST_UNKNOWN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAsync_NotAWasmFile_IsRefusedBeforeContactingTheRegistry()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("notes.wasm");
        await File.WriteAllTextAsync(file, "this is not wasm", Ct);
        using var test = new TestClient();

        await Assert.ThrowsAsync<InvalidWasmModuleException>(() => test.Client.PushAsync(TestClient.Ref("127.0.0.1:1/team/filter:v1"), file, new WasmPushOptions(), null, Ct));
    }

    [Fact]
    public async Task PushAsync_ModuleOverLimit_IsRefused()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("big.wasm");
        WasmModuleBuilder.WriteLargeModule(file, 2 * 1024 * 1024);
        using var test = new TestClient(o => o.MaxBlobSize = 1024 * 1024);

        var error = await Assert.ThrowsAsync<SizeLimitExceededException>(() => test.Client.PushAsync(TestClient.Ref("127.0.0.1:1/team/filter:v1"), file, new WasmPushOptions(), null, Ct));

        Assert.Equal(1024 * 1024, error.Limit);
    }

    [Fact]
    public async Task PullAsync_LayerOverLimit_IsRefusedFromItsDeclaredSize()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("big.wasm");
        WasmModuleBuilder.WriteLargeModule(file, 2 * 1024 * 1024);
        using var pusher = new TestClient();
        var reference = TestClient.Ref($"{registry.Server.Host}/oversize/filter:v1");
        await pusher.Client.PushAsync(reference, file, new WasmPushOptions { Format = WasmPushFormat.Artifact }, null, Ct);
        using var test = new TestClient(o => o.MaxBlobSize = 1024 * 1024);

        var error = await Assert.ThrowsAsync<SizeLimitExceededException>(() => test.Client.PullAsync(reference, null, Ct));

        Assert.Equal(new FileInfo(file).Length, error.DeclaredSize);
    }
}

/// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, so reports could arrive late).</summary>
internal sealed class SynchronousProgress(Action<TransferProgress> report) : IProgress<TransferProgress>
{
    public void Report(TransferProgress value) => report(value);
}
