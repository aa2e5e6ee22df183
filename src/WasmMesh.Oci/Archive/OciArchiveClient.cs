using System.Formats.Tar;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WasmMesh.Oci;

/// <summary>The OCI image layout archive writer and loader behind <see cref="IOciArchiveClient"/>.</summary>
internal sealed partial class OciArchiveClient(IOciContentClient content, IOptions<OciClientOptions> options) : IOciArchiveClient
{
    /// <summary>The annotation that carries a tag in <c>index.json</c>.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private const int MaxManifestsPerIndex = 256;
    private const int MaxDepth = 3;
    private const long MaxIndexFile = 4L * 1024 * 1024;

    private readonly OciClientOptions _options = options.Value;

    public async Task<OciArchiveResult> SaveAsync(IReadOnlyList<ImageReference> references, string outputPath, bool withSignatures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var plan = new SavePlan();
        foreach (var reference in references)
        {
            var top = await content.TryGetManifestAsync(reference, reference.ManifestReference, cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new ManifestNotFoundException(reference.ToString());
            await CollectAsync(plan, reference, top, 0, cancellationToken).ConfigureAwait(false);
            plan.AddEntry(reference.Digest is null || reference.Tag is not null ? reference.Tag ?? ImageReference.DefaultTag : null, top, outputPath);
            if (withSignatures)
            {
                await CollectSignaturesAsync(plan, reference, top.Digest, outputPath, cancellationToken).ConfigureAwait(false);
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(outputPath)}.{Guid.NewGuid():N}.partial");
        try
        {
            long bytes = 0;
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var tar = new UstarWriter(file);
                await tar.WriteFileAsync("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray(), cancellationToken).ConfigureAwait(false);
                await tar.WriteDirectoryAsync("blobs/", cancellationToken).ConfigureAwait(false);
                foreach (var algorithm in plan.Blobs.Select(b => b.Descriptor.Digest.Algorithm).Distinct(StringComparer.Ordinal))
                {
                    await tar.WriteDirectoryAsync($"blobs/{algorithm}/", cancellationToken).ConfigureAwait(false);
                }

                foreach (var (repository, descriptor, inline) in plan.Blobs)
                {
                    var name = $"blobs/{descriptor.Digest.Algorithm}/{descriptor.Digest.Hex}";
                    if (inline is not null)
                    {
                        await tar.WriteFileAsync(name, inline.Value, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var blob = await content.OpenBlobAsync(repository, descriptor, cancellationToken: cancellationToken).ConfigureAwait(false);
                        await using (blob.ConfigureAwait(false))
                        {
                            await tar.WriteFileAsync(name, descriptor.Size, blob, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    bytes += descriptor.Size;
                }

                var index = new ImageIndex
                {
                    MediaType = MediaTypes.OciIndex,
                    Manifests = plan.Entries.Select(e => e.Manifest.ToDescriptor() with
                    {
                        Annotations = e.Tag is null ? null : new SortedDictionary<string, string>(StringComparer.Ordinal) { [RefNameAnnotation] = e.Tag },
                    }).ToList(),
                };
                await tar.WriteFileAsync("index.json", JsonSerializer.SerializeToUtf8Bytes(index, SupplyChainJson.Writer.ImageIndex), cancellationToken).ConfigureAwait(false);
                await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, outputPath, overwrite: true);
            return new OciArchiveResult(plan.Entries.Select(e => new OciArchiveEntry(e.Tag, e.Manifest.Digest, e.Manifest.MediaType)).ToList(), plan.Blobs.Count, bytes);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public async Task<OciArchiveResult> LoadAsync(string archivePath, ImageReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archivePath);
        ArgumentNullException.ThrowIfNull(repository);
        if (Directory.Exists(archivePath))
        {
            return await LoadLayoutAsync(archivePath, archivePath, repository, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(archivePath))
        {
            throw new FileNotFoundException($"'{archivePath}' does not exist", archivePath);
        }

        var scratch = Path.Combine(Path.GetTempPath(), $"wasmmesh-load-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            await ExtractAsync(archivePath, scratch, cancellationToken).ConfigureAwait(false);
            return await LoadLayoutAsync(scratch, archivePath, repository, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private async Task CollectAsync(SavePlan plan, ImageReference repository, OciManifestContent manifest, int depth, CancellationToken cancellationToken)
    {
        if (!plan.AddManifest(repository, manifest))
        {
            return;
        }

        var subject = $"{repository.Registry}/{repository.Repository}@{manifest.Digest}";
        if (manifest.IsIndex)
        {
            var index = Parse(manifest.Content, SupplyChainJsonContext.Default.ImageIndex, subject);
            if (depth >= MaxDepth || index.Manifests.Count > MaxManifestsPerIndex)
            {
                throw new InvalidManifestException(subject, $"indexes nest deeper than {MaxDepth} or list more than {MaxManifestsPerIndex} manifests");
            }

            foreach (var child in index.Manifests)
            {
                var childManifest = await content.TryGetManifestAsync(repository, child.Digest.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false)
                    ?? throw new ManifestNotFoundException($"{subject} -> {child.Digest}", "the index lists a manifest the registry does not have");
                await CollectAsync(plan, repository, childManifest, depth + 1, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var image = Parse(manifest.Content, SupplyChainJsonContext.Default.ImageManifest, subject);
        plan.AddBlob(repository, image.Config);
        foreach (var layer in image.Layers)
        {
            plan.AddBlob(repository, layer);
        }
    }

    private async Task CollectSignaturesAsync(SavePlan plan, ImageReference reference, Digest digest, string outputPath, CancellationToken cancellationToken)
    {
        var signatureTag = CosignFormats.SignatureTag(digest);
        if (await content.TryGetManifestAsync(reference, signatureTag, cancellationToken: cancellationToken).ConfigureAwait(false) is { } signatures)
        {
            await CollectAsync(plan, reference, signatures, 0, cancellationToken).ConfigureAwait(false);
            plan.AddEntry(signatureTag, signatures, outputPath);
        }

        var fallbackTag = CosignFormats.ReferrersTag(digest);
        var fallback = await content.TryGetManifestAsync(reference, fallbackTag, cancellationToken: cancellationToken).ConfigureAwait(false);
        var referrers = await content.GetReferrersAsync(reference, digest, cancellationToken: cancellationToken).ConfigureAwait(false);
        var listed = referrers?.Manifests ?? (fallback is { IsIndex: true } ? Parse(fallback.Content, SupplyChainJsonContext.Default.ImageIndex, $"{reference} referrers").Manifests : []);
        if (listed.Count == 0)
        {
            return;
        }

        foreach (var descriptor in listed.Take(MaxManifestsPerIndex))
        {
            if (await content.TryGetManifestAsync(reference, descriptor.Digest.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false) is { } referrer)
            {
                await CollectAsync(plan, reference, referrer, 0, cancellationToken).ConfigureAwait(false);
            }
        }

        // Keep the referrers discoverable on registries without the referrers API: save the tag-schema index too.
        var fallbackIndex = fallback is { IsIndex: true }
            ? fallback
            : Synthesize(listed);
        await CollectAsync(plan, reference, fallbackIndex, 0, cancellationToken).ConfigureAwait(false);
        plan.AddEntry(fallbackTag, fallbackIndex, outputPath);
    }

    private static OciManifestContent Synthesize(IReadOnlyList<Descriptor> referrers)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = referrers }, SupplyChainJson.Writer.ImageIndex);
        return new OciManifestContent(bytes, MediaTypes.OciIndex, Digest.ComputeSha256(bytes));
    }

    private async Task ExtractAsync(string archivePath, string scratch, CancellationToken cancellationToken)
    {
        var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            var reader = new TarReader(file);
            await using (reader.ConfigureAwait(false))
            {
                while (true)
                {
                    TarEntry? entry;
                    try
                    {
                        entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
                    {
                        throw new InvalidArchiveException(archivePath, $"not a valid tar file ({e.Message.TrimEnd('.')})", e);
                    }

                    if (entry is null)
                    {
                        break;
                    }

                    var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                    if (entry.EntryType is TarEntryType.Directory || name.Length == 0)
                    {
                        continue;
                    }

                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                    {
                        throw new InvalidArchiveException(archivePath, $"entry '{name}' is a {entry.EntryType}; an OCI layout archive holds only regular files");
                    }

                    string target;
                    Digest? expected = null;
                    long limit;
                    if (name is "oci-layout" or "index.json")
                    {
                        target = Path.Combine(scratch, name);
                        limit = MaxIndexFile;
                    }
                    else if (BlobPath().Match(name) is { Success: true } match && Digest.TryParse($"{match.Groups[1].Value}:{match.Groups[2].Value}", out var digest))
                    {
                        Directory.CreateDirectory(Path.Combine(scratch, "blobs", digest.Algorithm));
                        target = Path.Combine(scratch, "blobs", digest.Algorithm, digest.Hex);
                        expected = digest;
                        limit = _options.MaxBlobSize;
                    }
                    else
                    {
                        // Other files (e.g. a tool's own metadata) are not part of the layout and are never written to disk.
                        continue;
                    }

                    if (entry.Length > limit)
                    {
                        throw new SizeLimitExceededException(limit, $"{archivePath}: {name}", entry.Length);
                    }

                    if (entry.DataStream is null)
                    {
                        continue;
                    }

                    var hashing = new HashingReadStream(entry.DataStream, $"{archivePath}: {name}", expected, limit, leaveOpen: true);
                    await using (hashing.ConfigureAwait(false))
                    {
                        var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                        await using (output.ConfigureAwait(false))
                        {
                            await hashing.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
        }
    }

    private async Task<OciArchiveResult> LoadLayoutAsync(string layout, string archivePath, ImageReference repository, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(layout, "oci-layout")))
        {
            throw new InvalidArchiveException(archivePath, "there is no oci-layout file; this is not an OCI image layout (write one with 'wasmc save' or 'skopeo copy ... oci-archive:FILE')");
        }

        var indexPath = Path.Combine(layout, "index.json");
        if (!File.Exists(indexPath) || new FileInfo(indexPath).Length > MaxIndexFile)
        {
            throw new InvalidArchiveException(archivePath, "index.json is missing or larger than 4 MiB");
        }

        var index = Parse(await File.ReadAllBytesAsync(indexPath, cancellationToken).ConfigureAwait(false), SupplyChainJsonContext.Default.ImageIndex, $"{archivePath}: index.json", archivePath);

        // Check the whole graph before pushing anything, so a broken archive leaves the registry untouched.
        var blobs = new List<Descriptor>();
        var manifests = new List<(Descriptor Descriptor, byte[] Content, IReadOnlyList<Digest> DependsOn)>();
        var seen = new HashSet<Digest>();
        var entries = new List<OciArchiveEntry>();
        foreach (var descriptor in index.Manifests)
        {
            var tag = descriptor.Annotations?.GetValueOrDefault(RefNameAnnotation) is { Length: > 0 } refName ? TagOf(refName, archivePath) : null;
            var mediaType = await WalkAsync(layout, archivePath, descriptor, 0, blobs, manifests, seen, cancellationToken).ConfigureAwait(false);
            entries.Add(new OciArchiveEntry(tag, descriptor.Digest, mediaType));
        }

        long bytes = 0;
        foreach (var blob in blobs)
        {
            var path = BlobFile(layout, blob.Digest);
            await content.PushBlobAsync(repository, blob, () => new HashingReadStream(OpenRead(path), $"{archivePath}: blob {blob.Digest}", blob.Digest, blob.Size), cancellationToken: cancellationToken).ConfigureAwait(false);
            bytes += blob.Size;
        }

        // An index after the manifests it lists, a referrer after its subject (when the archive holds it).
        var inArchive = manifests.Select(m => m.Descriptor.Digest).ToHashSet();
        var pushed = new HashSet<Digest>();
        var pending = manifests.ToList();
        while (pending.Count > 0)
        {
            var ready = pending.Where(m => m.DependsOn.All(d => pushed.Contains(d) || !inArchive.Contains(d))).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidArchiveException(archivePath, $"manifests {string.Join(", ", pending.Select(m => m.Descriptor.Digest))} refer to each other in a cycle");
            }

            foreach (var (descriptor, bytesOfManifest, _) in ready)
            {
                await content.PutManifestAsync(repository, descriptor.Digest.ToString(), bytesOfManifest, descriptor.MediaType, cancellationToken: cancellationToken).ConfigureAwait(false);
                bytes += descriptor.Size;
                pushed.Add(descriptor.Digest);
            }

            pending.RemoveAll(m => pushed.Contains(m.Descriptor.Digest));
        }

        foreach (var entry in entries.Where(e => e.Tag is not null))
        {
            var manifest = manifests.First(m => m.Descriptor.Digest == entry.Digest);
            await content.PutManifestAsync(repository, entry.Tag!, manifest.Content, manifest.Descriptor.MediaType, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return new OciArchiveResult(entries, blobs.Count + manifests.Count, bytes);
    }

    private async Task<string> WalkAsync(string layout, string archivePath, Descriptor descriptor, int depth, List<Descriptor> blobs, List<(Descriptor, byte[], IReadOnlyList<Digest>)> manifests, HashSet<Digest> seen, CancellationToken cancellationToken)
    {
        var subject = $"{archivePath}: manifest {descriptor.Digest}";
        var bytes = await ReadBlobAsync(layout, archivePath, descriptor, _options.MaxManifestSize, cancellationToken).ConfigureAwait(false);
        var mediaType = OciContentClient.MediaTypeOf(bytes, descriptor.MediaType, subject);
        if (!seen.Add(descriptor.Digest))
        {
            return mediaType;
        }

        var fixedDescriptor = descriptor with { MediaType = mediaType, Annotations = null };
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = Parse(bytes, SupplyChainJsonContext.Default.ImageIndex, subject, archivePath);
            var listed = new List<Digest>();
            if (depth >= MaxDepth || index.Manifests.Count > MaxManifestsPerIndex)
            {
                throw new InvalidArchiveException(archivePath, $"manifest {descriptor.Digest}: indexes nest deeper than {MaxDepth} or list more than {MaxManifestsPerIndex} manifests");
            }

            foreach (var child in index.Manifests)
            {
                // The referrers tag-schema index may list referrers saved without their content; require only what is present.
                if (!File.Exists(BlobFile(layout, child.Digest)) && child.ArtifactType is not null)
                {
                    continue;
                }

                await WalkAsync(layout, archivePath, child, depth + 1, blobs, manifests, seen, cancellationToken).ConfigureAwait(false);
                listed.Add(child.Digest);
            }

            manifests.Add((fixedDescriptor, bytes, listed));
            return mediaType;
        }

        var image = Parse(bytes, SupplyChainJsonContext.Default.ImageManifest, subject, archivePath);
        foreach (var blob in image.Layers.Prepend(image.Config))
        {
            var path = BlobFile(layout, blob.Digest);
            if (!File.Exists(path))
            {
                throw new InvalidArchiveException(archivePath, $"blob {blob.Digest} of manifest {descriptor.Digest} is missing from the archive");
            }

            if (new FileInfo(path).Length != blob.Size)
            {
                throw new InvalidArchiveException(archivePath, $"blob {blob.Digest} is {new FileInfo(path).Length} bytes but manifest {descriptor.Digest} declares {blob.Size}");
            }

            if (!blobs.Exists(b => b.Digest == blob.Digest))
            {
                blobs.Add(blob);
            }
        }

        manifests.Add((fixedDescriptor, bytes, image.Subject is { } referred ? [referred.Digest] : []));
        return mediaType;
    }

    private static async Task<byte[]> ReadBlobAsync(string layout, string archivePath, Descriptor descriptor, long limit, CancellationToken cancellationToken)
    {
        var path = BlobFile(layout, descriptor.Digest);
        if (!File.Exists(path))
        {
            throw new InvalidArchiveException(archivePath, $"manifest {descriptor.Digest} is listed but missing from the archive");
        }

        if (descriptor.Size > limit || new FileInfo(path).Length > limit)
        {
            throw new SizeLimitExceededException(limit, $"{archivePath}: manifest {descriptor.Digest}", Math.Max(descriptor.Size, new FileInfo(path).Length));
        }

        var hashing = new HashingReadStream(OpenRead(path), $"{archivePath}: manifest {descriptor.Digest}", descriptor.Digest, limit);
        await using (hashing.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await hashing.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    private static string BlobFile(string layout, Digest digest) => Path.Combine(layout, "blobs", digest.Algorithm, digest.Hex);

    private static FileStream OpenRead(string path)
        => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>The tag in a ref name: the name itself, or the part after the last ':' of a full reference.</summary>
    private static string TagOf(string refName, string archivePath)
    {
        var colon = refName.LastIndexOf(':');
        var tag = colon > refName.LastIndexOf('/') && colon >= 0 ? refName[(colon + 1)..] : refName;
        if (!TagPattern().IsMatch(tag))
        {
            throw new InvalidArchiveException(archivePath, $"index.json ref name '{refName}' is not a valid tag");
        }

        return tag;
    }

    private static T Parse<T>(ReadOnlyMemory<byte> bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string subject, string? archive = null)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes.Span, type) ?? throw new JsonException("the document is null");
        }
        catch (JsonException e)
        {
            if (archive is not null)
            {
                throw new InvalidArchiveException(archive, $"{subject} is not a valid {typeof(T).Name}: {e.Message}", e);
            }

            throw new InvalidManifestException(subject, $"not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }

    [GeneratedRegex("^blobs/([a-z0-9]+)/([a-f0-9]{64}|[a-f0-9]{128})$", RegexOptions.CultureInvariant)]
    private static partial Regex BlobPath();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    /// <summary>What a save copies: blobs in order (manifests inline), and the top-level entries of index.json.</summary>
    private sealed class SavePlan
    {
        private readonly HashSet<Digest> _digests = [];

        public List<(ImageReference Repository, Descriptor Descriptor, ReadOnlyMemory<byte>? Inline)> Blobs { get; } = [];

        public List<(string? Tag, OciManifestContent Manifest)> Entries { get; } = [];

        public bool AddManifest(ImageReference repository, OciManifestContent manifest)
        {
            if (!_digests.Add(manifest.Digest))
            {
                return false;
            }

            Blobs.Add((repository, manifest.ToDescriptor(), manifest.Content));
            return true;
        }

        public void AddBlob(ImageReference repository, Descriptor descriptor)
        {
            if (_digests.Add(descriptor.Digest))
            {
                Blobs.Add((repository, descriptor with { Annotations = null }, null));
            }
        }

        public void AddEntry(string? tag, OciManifestContent manifest, string outputPath)
        {
            if (tag is not null && Entries.FirstOrDefault(e => e.Tag == tag) is { Manifest: { } other } && other.Digest != manifest.Digest)
            {
                throw new InvalidArchiveException(outputPath, $"two references share the tag '{tag}' with different digests ({other.Digest}, {manifest.Digest}); save them to separate archives");
            }

            if (!Entries.Exists(e => e.Tag == tag && e.Manifest.Digest == manifest.Digest))
            {
                Entries.Add((tag, manifest));
            }
        }
    }
}
