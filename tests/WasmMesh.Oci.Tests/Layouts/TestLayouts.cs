using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace WasmMesh.Oci.Tests.Layouts;

/// <summary>A manifest and its blobs, as another tool would write them.</summary>
internal sealed record BuiltLayout(WasmLayout Expected, string MediaType, byte[] Manifest, IReadOnlyList<byte[]> Blobs);

/// <summary>Builds every layout other tools write, from module bytes, without the code under test.</summary>
internal static class TestLayouts
{
    public static IEnumerable<BuiltLayout> All(byte[] wasm)
    {
        yield return DockerImage(wasm);
        yield return OciImage(wasm, "./plugin.wasm");
        yield return OrasArchive(wasm);
        yield return Wasme(wasm);
        yield return Raw(WasmLayout.CncfWasmArtifact, MediaTypes.CncfWasmConfig, "{}"u8.ToArray(), MediaTypes.CncfWasmLayer, wasm);
        yield return Raw(WasmLayout.WasmToOci, MediaTypes.WasmToOciConfig, "{}"u8.ToArray(), MediaTypes.WasmToOciContentLayer, wasm);
        yield return Raw(WasmLayout.SingleRawLayer, MediaTypes.OciConfig, Config(), MediaTypes.WasmeContentLayer, wasm);
    }

    public static byte[] TarGz(params (string Name, byte[] Content)[] files)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "./"));
            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        return output.ToArray();
    }

    public static byte[] Config() => "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"u8.ToArray();

    public static BuiltLayout DockerImage(byte[] wasm)
    {
        var layer = TarGz(("plugin.wasm", wasm));
        var config = Config();
        return new BuiltLayout(WasmLayout.DockerImage, MediaTypes.DockerManifest, Manifest(MediaTypes.DockerManifest, null, (MediaTypes.DockerConfig, config), [(MediaTypes.DockerLayerTarGzip, layer, null)]), [config, layer]);
    }

    public static BuiltLayout OciImage(byte[] wasm, string name)
    {
        var layer = TarGz(("etc/readme.txt", "hello"u8.ToArray()), (name, wasm));
        var config = Config();
        return new BuiltLayout(WasmLayout.OciImage, MediaTypes.OciManifest, Manifest(MediaTypes.OciManifest, null, (MediaTypes.OciConfig, config), [(MediaTypes.OciLayerTarGzip, layer, null)]), [config, layer]);
    }

    public static BuiltLayout OrasArchive(byte[] wasm)
    {
        var readme = Encoding.UTF8.GetBytes("# plugin docs\n");
        var layer = TarGz(("plugin.wasm", wasm));
        var empty = "{}"u8.ToArray();
        var manifest = Manifest(
            MediaTypes.OciManifest,
            "application/vnd.example.plugin.v1",
            (MediaTypes.OciEmpty, empty),
            [("text/markdown", readme, "README.md"), (MediaTypes.OciLayerTarGzip, layer, "plugin.tar.gz")]);
        return new BuiltLayout(WasmLayout.OrasArchive, MediaTypes.OciManifest, manifest, [empty, readme, layer]);
    }

    /// <summary>What <c>oras push ref plugin.wasm</c> writes: the module itself as a layer of ORAS's default media type, titled.</summary>
    public static BuiltLayout OrasFile(byte[] wasm, string title = "plugin.wasm")
    {
        var readme = Encoding.UTF8.GetBytes("# plugin docs\n");
        var empty = "{}"u8.ToArray();
        var manifest = Manifest(
            MediaTypes.OciManifest,
            "application/vnd.unknown.artifact.v1",
            (MediaTypes.OciEmpty, empty),
            [(MediaTypes.OciLayerTar, wasm, title), (MediaTypes.OciLayerTar, readme, "README.md")]);
        return new BuiltLayout(WasmLayout.OrasFile, MediaTypes.OciManifest, manifest, [empty, wasm, readme]);
    }

    /// <summary>An image whose plugin.wasm sits in an earlier layer than the last (later layers add documentation).</summary>
    public static BuiltLayout PluginInEarlierLayer(byte[] wasm)
    {
        var plugin = TarGz(("plugin.wasm", wasm));
        var docs = TarGz(("README.md", "# docs"u8.ToArray()), ("LICENSE", "Apache-2.0"u8.ToArray()));
        var config = Config();
        var manifest = Manifest(MediaTypes.OciManifest, null, (MediaTypes.OciConfig, config), [(MediaTypes.OciLayerTarGzip, plugin, null), (MediaTypes.OciLayerTarGzip, docs, null)]);
        return new BuiltLayout(WasmLayout.OciImage, MediaTypes.OciManifest, manifest, [config, plugin, docs]);
    }

    /// <summary>An image holding no module at all: a docs layer and a titled text file.</summary>
    public static BuiltLayout NoModule()
    {
        var docs = TarGz(("README.md", "# docs"u8.ToArray()), ("etc/config.yaml", "a: 1"u8.ToArray()));
        var notes = Encoding.UTF8.GetBytes("release notes\n");
        var config = Config();
        var manifest = Manifest(MediaTypes.OciManifest, null, (MediaTypes.OciConfig, config), [(MediaTypes.OciLayerTarGzip, docs, null), ("text/plain", notes, "NOTES.txt")]);
        return new BuiltLayout(WasmLayout.OciImage, MediaTypes.OciManifest, manifest, [config, docs, notes]);
    }

    public static BuiltLayout Wasme(byte[] wasm)
    {
        var config = "{\"type\":\"envoy_proxy\",\"abiVersions\":[\"v0-4d2c4e9\"]}"u8.ToArray();
        var manifest = Manifest(
            MediaTypes.OciManifest,
            null,
            (MediaTypes.WasmeConfig, config),
            [(MediaTypes.WasmeConfig, config, "runtime-config.json"), (MediaTypes.WasmeContentLayer, wasm, "filter.wasm")]);
        return new BuiltLayout(WasmLayout.WasmeArtifact, MediaTypes.OciManifest, manifest, [config, wasm]);
    }

    public static BuiltLayout Raw(WasmLayout expected, string configType, byte[] config, string layerType, byte[] wasm)
        => new(expected, MediaTypes.OciManifest, Manifest(MediaTypes.OciManifest, null, (configType, config), [(layerType, wasm, null)]), [config, wasm]);

    public static byte[] Manifest(string mediaType, string? artifactType, (string Type, byte[] Bytes) config, IEnumerable<(string Type, byte[] Bytes, string? Title)> layers)
    {
        var root = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = mediaType };
        if (artifactType is not null)
        {
            root["artifactType"] = artifactType;
        }

        root["config"] = Descriptor(config.Type, config.Bytes, null);
        root["layers"] = new JsonArray(layers.Select(l => (JsonNode)Descriptor(l.Type, l.Bytes, l.Title)).ToArray());
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    public static byte[] Index(string mediaType, params (byte[] Manifest, string ManifestType, string? Os, string? Architecture)[] manifests)
    {
        var list = new JsonArray();
        foreach (var (manifest, type, os, arch) in manifests)
        {
            var descriptor = Descriptor(type, manifest, null);
            if (os is not null)
            {
                descriptor["platform"] = new JsonObject { ["architecture"] = arch, ["os"] = os };
            }

            list.Add(descriptor);
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = mediaType, ["manifests"] = list }.ToJsonString());
    }

    private static JsonObject Descriptor(string type, byte[] bytes, string? title)
    {
        var descriptor = new JsonObject { ["mediaType"] = type, ["digest"] = WasmMesh.Digest.ComputeSha256(bytes).ToString(), ["size"] = bytes.Length };
        if (title is not null)
        {
            descriptor["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = title };
        }

        return descriptor;
    }
}
