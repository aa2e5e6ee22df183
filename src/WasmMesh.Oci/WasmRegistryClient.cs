using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.Oci;

/// <summary>The registry client behind <see cref="IWasmRegistryClient"/>.</summary>
internal sealed class WasmRegistryClient : IWasmRegistryClient
{
    /// <summary>The annotation that marks the compat image format.</summary>
    public const string VariantAnnotation = "module.wasm.image/variant";

    private const string TitleAnnotation = LayoutDetector.TitleAnnotation;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly OciClientOptions _options;
    private readonly IRegistryCredentialProvider _credentialProvider;
    private readonly ILogger<WasmRegistryClient> _logger;
    private readonly RegistryEndpointResolver _endpoints;
    private readonly TokenCache _tokens;

    public WasmRegistryClient(IHttpClientFactory httpClientFactory, IOptions<OciClientOptions> options, IRegistryCredentialProvider credentialProvider, TimeProvider timeProvider, ILogger<WasmRegistryClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _credentialProvider = credentialProvider;
        _logger = logger;
        _endpoints = new RegistryEndpointResolver(_options, logger);
        _tokens = new TokenCache(timeProvider);
    }

    public async Task<Digest> ResolveAsync(ImageReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var session = await OpenSessionAsync(reference, credentials, push: false, cancellationToken).ConfigureAwait(false);
        return await session.ResolveManifestAsync(reference.ManifestReference, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WasmPullResult> PullAsync(ImageReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var session = await OpenSessionAsync(reference, credentials, push: false, cancellationToken).ConfigureAwait(false);
        return await PullAsync(session, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WasmPushResult> PushAsync(ImageReference reference, string wasmFilePath, WasmPushOptions options, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentException.ThrowIfNullOrEmpty(wasmFilePath);
        ArgumentNullException.ThrowIfNull(options);

        // Validate the module before touching the network.
        var module = await WasmModuleInspector.InspectFileAsync(wasmFilePath, cancellationToken).ConfigureAwait(false);
        var wasmSize = new FileInfo(wasmFilePath).Length;
        if (wasmSize > _options.MaxBlobSize)
        {
            throw new SizeLimitExceededException(_options.MaxBlobSize, Path.GetFileName(wasmFilePath), wasmSize);
        }

        if (options.Format == WasmPushFormat.Image && reference.Digest is null)
        {
            try
            {
                return await PushImageStreamingAsync(reference, wasmFilePath, wasmSize, options, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.StatusCode is HttpStatusCode.LengthRequired)
            {
                // A registry (or a proxy in front of it) that refuses a body of unknown length: build the layer first.
            }
        }

        Digest wasmSha256;
        var hashStream = OpenFile(wasmFilePath);
        await using (hashStream.ConfigureAwait(false))
        {
            wasmSha256 = await Digest.ComputeSha256Async(hashStream, cancellationToken).ConfigureAwait(false);
        }

        string? layerFile = null;
        try
        {
            var blobs = new List<(Descriptor Descriptor, Func<Stream> Open)>();
            ImageManifest manifest;
            if (options.Format == WasmPushFormat.Image)
            {
                layerFile = Path.Combine(Path.GetTempPath(), $"wasmmesh-layer-{Guid.NewGuid():N}.tar.gz");
                ImageLayer layer;
                var output = new FileStream(layerFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                await using (output.ConfigureAwait(false))
                {
                    layer = await ImageLayerWriter.WriteAsync(wasmFilePath, output, cancellationToken).ConfigureAwait(false);
                }

                var config = JsonSerializer.SerializeToUtf8Bytes(
                    new ImageConfig { Architecture = options.ImageArchitecture, OS = options.ImageOS, RootFs = new RootFs { DiffIds = [layer.DiffId] } },
                    OciJson.Writer.ImageConfig);
                var configDescriptor = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.ComputeSha256(config), Size = config.Length };
                var layerDescriptor = new Descriptor { MediaType = MediaTypes.OciLayerTarGzip, Digest = layer.Digest, Size = layer.Size };
                var path = layerFile;
                blobs.Add((configDescriptor, () => new MemoryStream(config, writable: false)));
                blobs.Add((layerDescriptor, () => OpenFile(path)));
                manifest = new ImageManifest
                {
                    MediaType = MediaTypes.OciManifest,
                    Config = configDescriptor,
                    Layers = [layerDescriptor],
                    Annotations = SortedAnnotations(options.Annotations, (VariantAnnotation, "compat")),
                };
            }
            else
            {
                var abi = module.ProxyAbiVersion is { } marker
                    ? "v" + marker[WasmModuleInspector.ProxyAbiExportPrefix.Length..].Replace('_', '.')
                    : null;
                var config = JsonSerializer.SerializeToUtf8Bytes(new WasmeRuntimeConfig { AbiVersions = abi is null ? [] : [abi] }, OciJson.Writer.WasmeRuntimeConfig);
                var configDigest = Digest.ComputeSha256(config);
                var configDescriptor = new Descriptor { MediaType = MediaTypes.WasmeConfig, Digest = configDigest, Size = config.Length };
                var contentDescriptor = new Descriptor
                {
                    MediaType = MediaTypes.WasmeContentLayer,
                    Digest = wasmSha256,
                    Size = wasmSize,
                    Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [TitleAnnotation] = "filter.wasm" },
                };
                blobs.Add((configDescriptor, () => new MemoryStream(config, writable: false)));
                blobs.Add((contentDescriptor, () => OpenFile(wasmFilePath)));
                manifest = new ImageManifest
                {
                    MediaType = MediaTypes.OciManifest,
                    Config = configDescriptor,
                    Layers =
                    [
                        configDescriptor with { Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [TitleAnnotation] = "runtime-config.json" } },
                        contentDescriptor,
                    ],
                    Annotations = options.Annotations.Count == 0 ? null : SortedAnnotations(options.Annotations),
                };
            }

            var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJson.Writer.ImageManifest);
            var manifestDigest = Digest.ComputeSha256(manifestBytes);
            if (reference.Digest is { } wanted && wanted != manifestDigest)
            {
                throw new DigestMismatchException(wanted, manifestDigest, $"the manifest for {reference}");
            }

            var session = await OpenSessionAsync(reference, options.Credentials, push: true, cancellationToken).ConfigureAwait(false);
            var total = blobs.Sum(b => b.Descriptor.Size);
            long done = 0;
            var description = $"push {reference}";
            void Report(long n)
            {
                done += n;
                progress?.Report(new TransferProgress(description, done, total));
            }

            foreach (var (descriptor, open) in blobs)
            {
                await session.UploadBlobAsync(descriptor.Digest, descriptor.Size, open, progress is null ? null : Report, cancellationToken).ConfigureAwait(false);
            }

            var pushed = await session.PutManifestAsync(reference.Tag ?? manifestDigest.ToString(), manifestBytes, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
            Log.Pushed(_logger, reference.ToString(), pushed);
            OciMetrics.Pushes.Add(1, new KeyValuePair<string, object?>("format", options.Format.ToString()));
            return new WasmPushResult
            {
                Reference = reference.WithDigest(pushed),
                ManifestDigest = pushed,
                ManifestMediaType = MediaTypes.OciManifest,
                Format = options.Format,
                WasmSha256 = wasmSha256,
                WasmSize = wasmSize,
                Manifest = manifest,
            };
        }
        finally
        {
            if (layerFile is not null && File.Exists(layerFile))
            {
                File.Delete(layerFile);
            }
        }
    }

    /// <summary>
    /// Pushes the image layout with the layer compressed while it is uploaded (one streamed PATCH), so that gzip and the
    /// transfer overlap and nothing is written to disk; the config (which names the layer's diff ID) and the manifest
    /// follow. Used whenever the manifest digest need not be known before the upload.
    /// </summary>
    private async Task<WasmPushResult> PushImageStreamingAsync(ImageReference reference, string wasmFilePath, long wasmSize, WasmPushOptions options, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var session = await OpenSessionAsync(reference, options.Credentials, push: true, cancellationToken).ConfigureAwait(false);
        var description = $"push {reference}";
        long done = 0;
        long total = wasmSize;
        void Report(long n)
        {
            done += n;
            progress?.Report(new TransferProgress(description, done, total));
        }

        ImageLayer layer = default;
        await session.UploadProducedBlobAsync(
            async (body, token) =>
            {
                done = 0;
                layer = await ImageLayerWriter.WriteAsync(wasmFilePath, body, progress is null ? null : Report, token).ConfigureAwait(false);
                return (layer.Digest, layer.Size);
            },
            cancellationToken).ConfigureAwait(false);
        if (layer.WasmSize != wasmSize)
        {
            throw new IOException($"{wasmFilePath} changed while it was pushed ({wasmSize} bytes before, {layer.WasmSize} read)");
        }

        var config = JsonSerializer.SerializeToUtf8Bytes(
            new ImageConfig { Architecture = options.ImageArchitecture, OS = options.ImageOS, RootFs = new RootFs { DiffIds = [layer.DiffId] } },
            OciJson.Writer.ImageConfig);
        var configDescriptor = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.ComputeSha256(config), Size = config.Length };
        var layerDescriptor = new Descriptor { MediaType = MediaTypes.OciLayerTarGzip, Digest = layer.Digest, Size = layer.Size };
        total += config.Length;
        await session.UploadBlobAsync(configDescriptor.Digest, configDescriptor.Size, () => new MemoryStream(config, writable: false), progress is null ? null : Report, cancellationToken).ConfigureAwait(false);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = configDescriptor,
            Layers = [layerDescriptor],
            Annotations = SortedAnnotations(options.Annotations, (VariantAnnotation, "compat")),
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJson.Writer.ImageManifest);
        var pushed = await session.PutManifestAsync(reference.Tag ?? Digest.ComputeSha256(manifestBytes).ToString(), manifestBytes, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        Log.Pushed(_logger, reference.ToString(), pushed);
        OciMetrics.Pushes.Add(1, new KeyValuePair<string, object?>("format", options.Format.ToString()));
        return new WasmPushResult
        {
            Reference = reference.WithDigest(pushed),
            ManifestDigest = pushed,
            ManifestMediaType = MediaTypes.OciManifest,
            Format = options.Format,
            WasmSha256 = layer.WasmSha256,
            WasmSize = wasmSize,
            Manifest = manifest,
        };
    }

    public async Task<WasmInspectResult> InspectAsync(ImageReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var pull = await PullAsync(reference, credentials, cancellationToken).ConfigureAwait(false);
        await using (pull.ConfigureAwait(false))
        {
            var module = await WasmModuleInspector.InspectAsync(pull.Content, reference.ToString(), cancellationToken).ConfigureAwait(false);

            // The inspector reads sections to the end; make sure the end (and so the digest check) was reached.
            var rest = new byte[1];
            while (await pull.Content.ReadAsync(rest, cancellationToken).ConfigureAwait(false) > 0)
            {
            }

            var content = (WasmContentStream)pull.Content;
            return new WasmInspectResult
            {
                Reference = reference,
                ManifestDigest = pull.ManifestDigest,
                ManifestMediaType = pull.ManifestMediaType,
                ImageManifestDigest = pull.ImageManifestDigest,
                Layout = pull.Layout,
                ConfigMediaType = pull.ConfigMediaType,
                LayerMediaTypes = pull.LayerMediaTypes,
                WasmSha256 = pull.WasmSha256!.Value,
                WasmSize = content.BytesRead,
                Module = module,
            };
        }
    }

    public async Task CheckCredentialsAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentNullException.ThrowIfNull(credentials);
        var reference = new ImageReference { Registry = DockerConfigCredentials.NormalizeRegistry(registry), Repository = string.Empty };
        var session = CreateSession(reference, credentials, push: false);
        await session.PingAsync(cancellationToken).ConfigureAwait(false);
    }

    internal async Task<RegistrySession> OpenSessionAsync(ImageReference reference, RegistryCredentials? credentials, bool push, CancellationToken cancellationToken)
    {
        credentials ??= await _credentialProvider.GetCredentialsAsync(reference.Registry, cancellationToken).ConfigureAwait(false);
        return CreateSession(reference, credentials, push);
    }

    private RegistrySession CreateSession(ImageReference reference, RegistryCredentials? credentials, bool push)
        => new(_httpClientFactory.CreateClient(OciHttp.ClientName), _options, _endpoints, _tokens, reference, credentials, push, _logger);

    private async Task<WasmPullResult> PullAsync(RegistrySession session, CancellationToken cancellationToken)
    {
        var reference = session.Reference;
        var subject = reference.ToString();
        var top = await session.GetManifestAsync(reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        var topType = MediaTypeOf(top, subject);
        var content = top;
        var mediaType = topType;
        Digest? imageDigest = null;
        if (MediaTypes.IsIndex(topType))
        {
            var index = Deserialize(top.Bytes, OciJsonContext.Default.ImageIndex, subject);
            var selected = LayoutDetector.SelectFromIndex(index, subject);
            if (selected.Size > _options.MaxManifestSize)
            {
                throw new SizeLimitExceededException(_options.MaxManifestSize, $"manifest {selected.Digest} of {subject}", selected.Size);
            }

            content = await session.GetManifestAsync(selected.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            mediaType = MediaTypeOf(content, subject);
            if (MediaTypes.IsIndex(mediaType))
            {
                throw new UnsupportedWasmLayoutException(subject, "the image index points at another index; nested indexes are not supported");
            }

            imageDigest = content.Digest;
        }

        var manifest = Deserialize(content.Bytes, OciJsonContext.Default.ImageManifest, subject);
        var found = new Dictionary<int, List<string>>();
        foreach (var match in LayoutDetector.Candidates(manifest, mediaType, subject))
        {
            var blob = await session.OpenBlobAsync(match.Layer, _options.MaxBlobSize, cancellationToken).ConfigureAwait(false);
            var (stream, held) = await WasmContentStream.TryOpenAsync(blob, match, _options.MaxBlobSize, $"{subject} layer {match.Layer.Digest}", cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                var index = manifest.Layers.ToList().IndexOf(match.Layer);
                if (!found.TryGetValue(index, out var notes))
                {
                    found[index] = notes = [];
                }

                notes.Add(held!);
                continue;
            }

            Log.Pulling(_logger, subject, top.Digest, match.Layout);
            OciMetrics.Pulls.Add(1, new KeyValuePair<string, object?>("layout", match.Layout.ToString()));
            return new WasmPullResult(reference, top.Digest, topType, imageDigest, manifest, match, stream);
        }

        var layers = manifest.Layers.Select((layer, i) =>
            $"layer {i + 1} ({LayoutDetector.Describe(layer)}) holds {(found.TryGetValue(i, out var notes) ? string.Join(" / ", notes) : "nothing read: not a tar layer or a titled file")}");
        throw new UnsupportedWasmLayoutException(
            subject,
            $"no layer holds a module: {string.Join("; ", layers)}. Expected a tar layer holding {LayoutDetector.PluginFileName}, a file titled *.wasm (org.opencontainers.image.title), or a raw wasm layer");
    }

    private static string MediaTypeOf(ManifestContent content, string subject)
    {
        var probe = Deserialize(content.Bytes, OciJsonContext.Default.ManifestProbe, subject);
        if (probe.SchemaVersion != 2)
        {
            throw new InvalidManifestException(subject, $"schemaVersion is {probe.SchemaVersion}; only schema 2 manifests (OCI, Docker v2) are supported");
        }

        if (!string.IsNullOrEmpty(probe.MediaType))
        {
            return probe.MediaType;
        }

        if (content.MediaType is { } header && MediaTypes.AllManifests.Contains(header))
        {
            return header;
        }

        return probe.Manifests is not null ? MediaTypes.OciIndex : MediaTypes.OciManifest;
    }

    private static T Deserialize<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string subject)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new InvalidManifestException(subject, "the document is null");
        }
        catch (JsonException e)
        {
            throw new InvalidManifestException(subject, $"not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static SortedDictionary<string, string> SortedAnnotations(IReadOnlyDictionary<string, string> user, params (string Key, string Value)[] fixedAnnotations)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in user)
        {
            result[key] = value;
        }

        foreach (var (key, value) in fixedAnnotations)
        {
            result[key] = value;
        }

        return result;
    }

    private static FileStream OpenFile(string path)
        => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
