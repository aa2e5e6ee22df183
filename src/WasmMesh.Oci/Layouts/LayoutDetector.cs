namespace WasmMesh.Oci;

/// <summary>Recognises every wasm layout in the wild, in the order Istio and Envoy Gateway try them.</summary>
internal static class LayoutDetector
{
    /// <summary>The file name an image layer's archive must hold (in any directory).</summary>
    public const string PluginFileName = "plugin.wasm";

    public static LayoutMatch Detect(ImageManifest manifest, string? manifestMediaType, string subject)
    {
        var layers = manifest.Layers;
        if (layers is null || layers.Count == 0)
        {
            throw new UnsupportedWasmLayoutException(subject, "the manifest has no layers");
        }

        var mediaType = manifest.MediaType ?? manifestMediaType;
        var last = layers[^1];
        var isDocker = mediaType == MediaTypes.DockerManifest;

        // 1. Docker v2 manifest whose last layer is a tar.gz holding plugin.wasm.
        // 2. OCI manifest whose last layer is a tar+gzip holding plugin.wasm (image, or an ORAS-style archive).
        if (MediaTypes.IsTarGzipLayer(last.MediaType) || last.MediaType == MediaTypes.OciLayerTar)
        {
            var gzip = last.MediaType != MediaTypes.OciLayerTar;
            if (isDocker)
            {
                return new LayoutMatch(WasmLayout.DockerImage, last, true, gzip);
            }

            var imageConfig = manifest.Config.MediaType is MediaTypes.OciConfig or MediaTypes.DockerConfig;
            var layout = imageConfig && manifest.ArtifactType is null ? WasmLayout.OciImage : WasmLayout.OrasArchive;
            return new LayoutMatch(layout, last, true, gzip);
        }

        // 3. Exactly two layers, one of them a raw wasme content layer.
        var wasme = layers.Where(l => l.MediaType == MediaTypes.WasmeContentLayer).ToList();
        if (layers.Count == 2 && wasme.Count == 1)
        {
            return new LayoutMatch(WasmLayout.WasmeArtifact, wasme[0], false, false);
        }

        var cncf = layers.Where(l => l.MediaType == MediaTypes.CncfWasmLayer).ToList();
        if (cncf.Count == 1)
        {
            return new LayoutMatch(WasmLayout.CncfWasmArtifact, cncf[0], false, false);
        }

        var wasmToOci = layers.Where(l => l.MediaType == MediaTypes.WasmToOciContentLayer).ToList();
        if (wasmToOci.Count == 1)
        {
            return new LayoutMatch(WasmLayout.WasmToOci, wasmToOci[0], false, false);
        }

        if (layers.Count == 1 && wasme.Count == 1)
        {
            return new LayoutMatch(WasmLayout.SingleRawLayer, wasme[0], false, false);
        }

        throw new UnsupportedWasmLayoutException(
            subject,
            $"config {manifest.Config.MediaType}, layers [{string.Join(", ", layers.Select(l => l.MediaType))}]; expected a last tar+gzip layer holding {PluginFileName} or a raw wasm layer (application/vnd.module.wasm.content.layer.v1+wasm, application/wasm, application/vnd.wasm.content.layer.v1+wasm)");
    }

    /// <summary>Picks the manifest of an index: a wasm platform, else the only manifest, else linux/amd64.</summary>
    public static Descriptor SelectFromIndex(ImageIndex index, string subject)
    {
        var manifests = index.Manifests ?? [];
        var candidates = manifests.Where(m => !MediaTypes.IsIndex(m.MediaType)).ToList();
        var wasm = candidates.FirstOrDefault(m => m.Platform?.IsWasm == true);
        if (wasm is not null)
        {
            return wasm;
        }

        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        var linux = candidates.FirstOrDefault(m => m.Platform is { OS: "linux", Architecture: "amd64" });
        return linux ?? throw new UnsupportedWasmLayoutException(
            subject,
            candidates.Count == 0
                ? "the image index lists no manifests"
                : $"the image index lists {candidates.Count} manifests and none is for a wasm platform or linux/amd64 ({string.Join(", ", candidates.Select(m => m.Platform is null ? "no platform" : $"{m.Platform.OS}/{m.Platform.Architecture}"))})");
    }
}
