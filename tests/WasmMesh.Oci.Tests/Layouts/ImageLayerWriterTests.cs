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

    [Fact]
    public async Task WriteAsync_LargeIncompressibleModule_StoresItInGzipFraming()
    {
        using var dir = new TempDirectory();
        var wasm = dir.Combine("random.wasm");
        WasmModuleBuilder.WriteLargeModule(wasm, 3 * 1024 * 1024, seed: 5);
        using var layer = new MemoryStream();

        var written = await ImageLayerWriter.WriteAsync(wasm, layer, TestContext.Current.CancellationToken);

        Assert.Equal(CompressionLevel.NoCompression, await ImageLayerWriter.ChooseLevelAsync(wasm, TestContext.Current.CancellationToken));
        Assert.InRange(written.Size, written.WasmSize, written.WasmSize + (written.WasmSize / 100)); // stored blocks: a few bytes per 64 KiB
        Assert.Equal(await File.ReadAllBytesAsync(wasm, TestContext.Current.CancellationToken), await PluginBytesAsync(layer));
    }

    [Fact]
    public async Task WriteAsync_LargeCompressibleModule_IsCompressed()
    {
        using var dir = new TempDirectory();
        var wasm = dir.Combine("text.wasm");
        await File.WriteAllBytesAsync(wasm, ModuleWithTextSection(3 * 1024 * 1024), TestContext.Current.CancellationToken);
        using var layer = new MemoryStream();

        var written = await ImageLayerWriter.WriteAsync(wasm, layer, TestContext.Current.CancellationToken);

        Assert.Equal(CompressionLevel.Fastest, await ImageLayerWriter.ChooseLevelAsync(wasm, TestContext.Current.CancellationToken));
        Assert.True(written.Size < written.WasmSize / 4, $"{written.Size} bytes for a {written.WasmSize} byte module");
        Assert.Equal(await File.ReadAllBytesAsync(wasm, TestContext.Current.CancellationToken), await PluginBytesAsync(layer));
    }

    [Fact]
    public async Task ChooseLevelAsync_SmallIncompressibleModule_StillCompresses()
    {
        using var dir = new TempDirectory();
        var wasm = dir.Combine("small.wasm");
        WasmModuleBuilder.WriteLargeModule(wasm, ImageLayerWriter.SampledFrom, seed: 6);

        Assert.Equal(CompressionLevel.Fastest, await ImageLayerWriter.ChooseLevelAsync(wasm, TestContext.Current.CancellationToken));
    }

    private static async Task<byte[]> PluginBytesAsync(MemoryStream layer)
    {
        layer.Position = 0;
        using var gzip = new GZipStream(layer, CompressionMode.Decompress, leaveOpen: true);
        using var tar = new TarReader(gzip);
        var entry = (await tar.GetNextEntryAsync(copyData: true, TestContext.Current.CancellationToken))!;
        Assert.Equal("plugin.wasm", entry.Name);
        using var content = new MemoryStream();
        await entry.DataStream!.CopyToAsync(content, TestContext.Current.CancellationToken);
        return content.ToArray();
    }

    private static byte[] ModuleWithTextSection(int size)
    {
        var head = WasmModuleBuilder.Build();
        var name = "names"u8.ToArray();
        var payload = new byte[size - head.Length - 1 - 5 - 1 - name.Length];
        var text = "(func $handler (param i32) (result i32) local.get 0 i32.const 1 i32.add)\n"u8;
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = text[i % text.Length];
        }

        using var module = new MemoryStream();
        module.Write(head);
        module.WriteByte(0);
        var sectionSize = (uint)(1 + name.Length + payload.Length);
        for (var i = 0; i < 5; i++)
        {
            module.WriteByte((byte)(((sectionSize >> (7 * i)) & 0x7fu) | (i < 4 ? 0x80u : 0u)));
        }

        module.WriteByte((byte)name.Length);
        module.Write(name);
        module.Write(payload);
        return module.ToArray();
    }
}
