using WasmMesh.Oci.Tests.Layouts;

namespace WasmMesh.Oci.Tests.Integration;

public sealed class TamperingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveToFileAsync_RegistryServesTamperedBytes_RefusesAndWritesNothing(bool archive)
    {
        var wasm = WasmModuleBuilder.Build(padding: 300_000, seed: 11);
        var layout = archive ? TestLayouts.OciImage(wasm, "plugin.wasm") : TestLayouts.Wasme(wasm);
        await using var stub = RegistryStub.Start();
        stub.AddManifest("team/filter", "v1", layout.MediaType, layout.Manifest);
        foreach (var blob in layout.Blobs)
        {
            stub.AddBlob("team/filter", Digest.ComputeSha256(blob).ToString(), blob);
        }

        // Flip a byte near the end of the module's layer: the magic is intact, the digest is not.
        var layer = archive ? layout.Blobs[1] : layout.Blobs[1];
        var tampered = (byte[])layer.Clone();
        tampered[^(archive ? 40 : 10)] ^= 0xff;
        stub.AddBlob("team/filter", Digest.ComputeSha256(layer).ToString(), tampered);
        using var test = new TestClient();
        using var dir = new TempDirectory();

        var error = await Assert.ThrowsAnyAsync<WasmMeshException>(async () =>
        {
            await using var pull = await test.Client.PullAsync(TestClient.Ref($"{stub.Host}/team/filter:v1"), null, Ct);
            await pull.SaveToFileAsync(dir.Combine("out", "filter.wasm"), null, Ct);
        });

        Assert.True(error is DigestMismatchException || (archive && error is UnsupportedWasmLayoutException), error.ToString());
        Assert.False(File.Exists(dir.Combine("out", "filter.wasm")));
        Assert.Empty(Directory.Exists(dir.Combine("out")) ? Directory.GetFiles(dir.Combine("out")) : []);
    }

    [Fact]
    public async Task PullAsync_DeclaredSizeOverLimit_NeverRequestsTheBlob()
    {
        var wasm = WasmModuleBuilder.Build(padding: 2_000_000);
        var layout = TestLayouts.Wasme(wasm);
        await using var stub = RegistryStub.Start();
        stub.AddManifest("team/filter", "v1", layout.MediaType, layout.Manifest);
        stub.AddBlob("team/filter", Digest.ComputeSha256(wasm).ToString(), wasm);
        using var test = new TestClient(o => o.MaxBlobSize = 1024 * 1024);

        await Assert.ThrowsAsync<SizeLimitExceededException>(() => test.Client.PullAsync(TestClient.Ref($"{stub.Host}/team/filter:v1"), null, Ct));

        Assert.DoesNotContain(stub.Requests, r => r.Contains("/blobs/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullAsync_RegistryServesMoreThanDeclared_StopsBeforeReadingItAll()
    {
        var wasm = WasmModuleBuilder.Build();
        var layout = TestLayouts.Wasme(wasm);
        var huge = new byte[64 * 1024 * 1024];
        wasm.CopyTo(huge, 0);
        await using var stub = RegistryStub.Start();
        stub.AddManifest("team/filter", "v1", layout.MediaType, layout.Manifest);
        stub.AddBlob("team/filter", Digest.ComputeSha256(wasm).ToString(), huge);
        using var test = new TestClient();
        using var dir = new TempDirectory();

        await Assert.ThrowsAsync<SizeLimitExceededException>(async () =>
        {
            await using var pull = await test.Client.PullAsync(TestClient.Ref($"{stub.Host}/team/filter:v1"), null, Ct);
            await pull.SaveToFileAsync(dir.Combine("filter.wasm"), null, Ct);
        });

        Assert.False(File.Exists(dir.Combine("filter.wasm")));
        Assert.True(stub.BlobBytesSent < huge.Length, $"sent {stub.BlobBytesSent} of {huge.Length}");
    }
}
