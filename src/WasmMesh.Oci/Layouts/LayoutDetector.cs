namespace WasmMesh.Oci;

/// <summary>
/// Recognises every wasm layout in the wild. A manifest gives an ordered list of places the module may be: a raw wasm
/// layer named by its media type (decisive, as Istio and Envoy Gateway read them); an ORAS-pushed file (a layer titled
/// <c>*.wasm</c> by <c>org.opencontainers.image.title</c>, whatever its media type, or any other titled file that turns
/// out to start with the wasm magic); then every tar layer, last first, for <c>plugin.wasm</c> — the last layer holding
/// it wins, as a container runtime would stack the layers.
/// </summary>
internal static class LayoutDetector
{
    /// <summary>The file name an image layer's archive must hold (in any directory).</summary>
    public const string PluginFileName = "plugin.wasm";

    /// <summary>The annotation ORAS writes with a file's name.</summary>
    public const string TitleAnnotation = "org.opencontainers.image.title";

    /// <summary>The annotation ORAS writes on a layer that is a directory packed as tar+gzip.</summary>
    private const string UnpackAnnotation = "io.deis.oras.content.unpack";

    /// <summary>The first place to look (what <see cref="Candidates"/> lists first).</summary>
    public static LayoutMatch Detect(ImageManifest manifest, string? manifestMediaType, string subject)
        => Candidates(manifest, manifestMediaType, subject)[0];

    /// <summary>Every place the module may be, in the order to look.</summary>
    /// <exception cref="UnsupportedWasmLayoutException">No layer can hold a module; the message lists the layers.</exception>
    public static IReadOnlyList<LayoutMatch> Candidates(ImageManifest manifest, string? manifestMediaType, string subject)
    {
        var layers = manifest.Layers;
        if (layers is null || layers.Count == 0)
        {
            throw new UnsupportedWasmLayoutException(subject, "the manifest has no layers");
        }

        // 1. A raw wasm layer named by its media type: decisive.
        var wasme = layers.Where(l => l.MediaType == MediaTypes.WasmeContentLayer).ToList();
        if (layers.Count == 2 && wasme.Count == 1)
        {
            return [new LayoutMatch(WasmLayout.WasmeArtifact, wasme[0], false, false)];
        }

        var cncf = layers.Where(l => l.MediaType == MediaTypes.CncfWasmLayer).ToList();
        if (cncf.Count == 1)
        {
            return [new LayoutMatch(WasmLayout.CncfWasmArtifact, cncf[0], false, false)];
        }

        var wasmToOci = layers.Where(l => l.MediaType == MediaTypes.WasmToOciContentLayer).ToList();
        if (wasmToOci.Count == 1)
        {
            return [new LayoutMatch(WasmLayout.WasmToOci, wasmToOci[0], false, false)];
        }

        if (layers.Count == 1 && wasme.Count == 1)
        {
            return [new LayoutMatch(WasmLayout.SingleRawLayer, wasme[0], false, false)];
        }

        var candidates = new List<LayoutMatch>();

        // 2. ORAS files titled *.wasm (plugin.wasm first, then the last one): the blob is the module itself.
        var titledWasm = layers
            .Select((layer, index) => (Layer: layer, Index: index, Title: TitleOf(layer)))
            .Where(l => l.Title is not null && l.Title.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase) && !IsPackedDirectory(l.Layer))
            .OrderByDescending(l => Path.GetFileName(l.Title) == PluginFileName)
            .ThenByDescending(l => l.Index);
        foreach (var (layer, _, _) in titledWasm)
        {
            candidates.Add(new LayoutMatch(WasmLayout.OrasFile, layer, false, false, Probe: true));
        }

        // 3. Tar layers, last first: the last one holding plugin.wasm wins.
        var isDocker = (manifest.MediaType ?? manifestMediaType) == MediaTypes.DockerManifest;
        var imageConfig = manifest.Config.MediaType is MediaTypes.OciConfig or MediaTypes.DockerConfig && manifest.ArtifactType is null;
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            var layer = layers[i];
            var title = TitleOf(layer);
            var isTar = MediaTypes.IsTarGzipLayer(layer.MediaType) || layer.MediaType == MediaTypes.OciLayerTar;
            if (!isTar || (title is not null && title.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var gzip = layer.MediaType != MediaTypes.OciLayerTar;
            if (!gzip && title is not null && !IsPackedDirectory(layer))
            {
                // An ORAS file of the default media type: the module itself when it starts with the wasm magic.
                candidates.Add(new LayoutMatch(WasmLayout.OrasFile, layer, false, false, Probe: true));
            }

            var layout = isDocker ? WasmLayout.DockerImage : imageConfig ? WasmLayout.OciImage : WasmLayout.OrasArchive;
            candidates.Add(new LayoutMatch(layout, layer, true, gzip));
        }

        // 4. Any other titled file: the module when it starts with the wasm magic.
        foreach (var layer in layers.Reverse())
        {
            if (TitleOf(layer) is not null && candidates.All(c => c.Layer != layer) && !IsPackedDirectory(layer))
            {
                candidates.Add(new LayoutMatch(WasmLayout.OrasFile, layer, false, false, Probe: true));
            }
        }

        if (candidates.Count == 0)
        {
            throw new UnsupportedWasmLayoutException(
                subject,
                $"config {manifest.Config.MediaType}, layers [{string.Join(", ", layers.Select(Describe))}]; expected a tar layer holding {PluginFileName}, a file titled *.wasm (org.opencontainers.image.title), or a raw wasm layer (application/vnd.module.wasm.content.layer.v1+wasm, application/wasm, application/vnd.wasm.content.layer.v1+wasm)");
        }

        return candidates;
    }

    /// <summary>A layer as error messages name it: its media type, and its title when it has one.</summary>
    public static string Describe(Descriptor layer) => TitleOf(layer) is { } title ? $"{layer.MediaType} \"{title}\"" : layer.MediaType;

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

    private static string? TitleOf(Descriptor layer) => layer.Annotations is { } a && a.TryGetValue(TitleAnnotation, out var title) && title.Length > 0 ? title : null;

    private static bool IsPackedDirectory(Descriptor layer) => layer.Annotations is { } a && a.TryGetValue(UnpackAnnotation, out var unpack) && unpack == "true";
}
