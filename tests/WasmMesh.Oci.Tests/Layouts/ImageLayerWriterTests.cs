using System.Formats.Tar;
using System.IO.Compression;

namespace WasmMesh.Oci.Tests.Layouts;

public sealed class ImageLayerWriterTests
{
    [Fact]
    public async Task WriteAsync_SameModuleTwice_GivesIdenticalBytes()
    {
        using var dir = new TempDirectory();
        var wasm = dir.Combine("m.wasm");
        await File.WriteAllBytesAsync(wasm, WasmModuleBuilder.Build(padding: 5000, seed: 3), TestContext.Current.CancellationToken);
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        var a = await ImageLayerWriter.WriteAsync(wasm, first, TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(wasm, DateTime.UtcNow.AddDays(-3));
        var b = await ImageLayerWriter.WriteAsync(wasm, second, TestContext.Current.CancellationToken);

        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.Equal(a, b);
        Assert.Equal(Digest.ComputeSha256(first.ToArray()), a.Digest);
        Assert.Equal(first.Length, a.Size);
        Assert.Equal(Digest.ComputeSha256(await File.ReadAllBytesAsync(wasm, TestContext.Current.CancellationToken)), a.WasmSha256);
        Assert.Equal(new FileInfo(wasm).Length, a.WasmSize);
    }

    [Fact]
    public async Task WriteAsync_Layer_HoldsPluginWasmWithFixedMetadata()
    {
        using var dir = new TempDirectory();
        var wasm = dir.Combine("m.wasm");
        var bytes = WasmModuleBuilder.Build();
        await File.WriteAllBytesAsync(wasm, bytes, TestContext.Current.CancellationToken);
        using var layer = new MemoryStream();
        var written = await ImageLayerWriter.WriteAsync(wasm, layer, TestContext.Current.CancellationToken);

        layer.Position = 0;
        using var gzip = new GZipStream(layer, CompressionMode.Decompress);
        using var tarBytes = new MemoryStream();
        await gzip.CopyToAsync(tarBytes, TestContext.Current.CancellationToken);
        Assert.Equal(Digest.ComputeSha256(tarBytes.ToArray()), written.DiffId);
        tarBytes.Position = 0;
        using var reader = new TarReader(tarBytes);
        var entry = reader.GetNextEntry()!;
        Assert.Equal("plugin.wasm", entry.Name);
        Assert.Equal(DateTimeOffset.UnixEpoch, entry.ModificationTime);
        Assert.Equal(0, entry.Uid);
        Assert.Equal(0, entry.Gid);
        using var content = new MemoryStream();
        await entry.DataStream!.CopyToAsync(content, TestContext.Current.CancellationToken);
        Assert.Equal(bytes, content.ToArray());
        Assert.Null(reader.GetNextEntry());
    }
}
