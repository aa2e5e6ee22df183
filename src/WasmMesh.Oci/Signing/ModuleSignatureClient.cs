using System.Text;
using System.Text.Json;

namespace WasmMesh.Oci;

/// <summary>The cosign-compatible signer and verifier behind <see cref="IModuleSignatureClient"/>.</summary>
internal sealed class ModuleSignatureClient(IOciContentClient content) : IModuleSignatureClient
{
    /// <summary>The most signature layers or referrers examined for one manifest.</summary>
    internal const int MaxSignatures = 64;

    public async Task<SignatureResult> SignAsync(ImageReference reference, SigningKey key, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(key);
        var manifest = await content.TryGetManifestAsync(reference, reference.ManifestReference, credentials, cancellationToken).ConfigureAwait(false)
            ?? throw new ManifestNotFoundException(reference.ToString(), "push the module before signing it");
        var digest = manifest.Digest;
        var payload = SimpleSigningPayload.Create(DockerReference(reference), digest);
        var signature = key.Sign(payload);
        var payloadDigest = Digest.ComputeSha256(payload);
        var layer = new Descriptor
        {
            MediaType = CosignFormats.SimpleSigningMediaType,
            Digest = payloadDigest,
            Size = payload.Length,
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [CosignFormats.SignatureAnnotation] = Convert.ToBase64String(signature) },
        };

        // Keep other signers' signatures (cosign appends); replace an earlier signature of the same payload by the same key.
        var tag = CosignFormats.SignatureTag(digest);
        var layers = new List<Descriptor>();
        if (await content.TryGetManifestAsync(reference, tag, credentials, cancellationToken).ConfigureAwait(false) is { IsIndex: false } existing
            && TryDeserialize(existing.Content, SupplyChainJsonContext.Default.ImageManifest) is { } previous)
        {
            using var own = SigningKeys.LoadPublicKey(key.ExportPublicKeyPem(), "signing key");
            foreach (var old in previous.Layers.Take(MaxSignatures))
            {
                var sameSigner = old.Digest == payloadDigest
                    && old.Annotations?.GetValueOrDefault(CosignFormats.SignatureAnnotation) is { } b64
                    && TryBase64(b64) is { } oldSignature
                    && own.Verify(payload, oldSignature);
                if (!sameSigner)
                {
                    layers.Add(old);
                }
            }
        }

        layers.Add(layer);
        var config = SignatureConfig(layers);
        var configDescriptor = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.ComputeSha256(config), Size = config.Length };
        await content.PushBlobAsync(reference, layer, () => new MemoryStream(payload, writable: false), credentials, cancellationToken).ConfigureAwait(false);
        await content.PushBlobAsync(reference, configDescriptor, () => new MemoryStream(config, writable: false), credentials, cancellationToken).ConfigureAwait(false);
        var signatureManifest = JsonSerializer.SerializeToUtf8Bytes(
            new ImageManifest { MediaType = MediaTypes.OciManifest, Config = configDescriptor, Layers = layers },
            SupplyChainJson.Writer.ImageManifest);
        var pushed = await content.PutManifestAsync(reference, tag, signatureManifest, MediaTypes.OciManifest, credentials, cancellationToken).ConfigureAwait(false);
        return new SignatureResult(reference.WithDigest(digest), reference with { Tag = tag, Digest = null }, pushed, key.KeyId);
    }

    public async Task<SignatureVerification> VerifyAsync(ImageReference reference, IReadOnlyList<VerificationKey> keys, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("at least one public key is needed", nameof(keys));
        }

        var manifest = await content.TryGetManifestAsync(reference, reference.ManifestReference, credentials, cancellationToken).ConfigureAwait(false)
            ?? throw new ManifestNotFoundException(reference.ToString());
        var digest = manifest.Digest;
        var pinned = reference.WithDigest(digest);
        var reasons = new List<string>();

        var simple = await VerifySimpleSigningAsync(pinned, digest, keys, reasons, credentials, cancellationToken).ConfigureAwait(false);
        if (simple is not null)
        {
            return simple;
        }

        var bundle = await VerifyBundlesAsync(pinned, digest, keys, reasons, credentials, cancellationToken).ConfigureAwait(false);
        if (bundle is not null)
        {
            return bundle;
        }

        if (reasons.Count == 0)
        {
            reasons.Add($"no signature found (no tag {CosignFormats.SignatureTag(digest)} and no sigstore bundle referrer); sign it with 'wasmc sign --key KEY REF' or cosign");
        }

        throw new SignatureVerificationException(pinned.ToString(), digest, reasons);
    }

    private async Task<SignatureVerification?> VerifySimpleSigningAsync(ImageReference pinned, Digest digest, IReadOnlyList<VerificationKey> keys, List<string> reasons, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var tag = CosignFormats.SignatureTag(digest);
        var signatures = await content.TryGetManifestAsync(pinned, tag, credentials, cancellationToken).ConfigureAwait(false);
        if (signatures is null)
        {
            return null;
        }

        var manifest = signatures.IsIndex ? null : TryDeserialize(signatures.Content, SupplyChainJsonContext.Default.ImageManifest);
        if (manifest is null)
        {
            reasons.Add($"{tag} is not an image manifest");
            return null;
        }

        var index = 0;
        foreach (var layer in manifest.Layers.Take(MaxSignatures))
        {
            index++;
            var where = $"{tag} layer {index}";
            if (layer.MediaType != CosignFormats.SimpleSigningMediaType)
            {
                continue;
            }

            if (layer.Annotations?.GetValueOrDefault(CosignFormats.SignatureAnnotation) is not { Length: > 0 } b64 || TryBase64(b64) is not { } signature)
            {
                reasons.Add($"{where}: no valid base64 '{CosignFormats.SignatureAnnotation}' annotation");
                continue;
            }

            var payload = await ReadSmallBlobAsync(pinned, layer, where, reasons, credentials, cancellationToken).ConfigureAwait(false);
            if (payload is null)
            {
                continue;
            }

            var key = keys.FirstOrDefault(k => k.Verify(payload, signature));
            if (key is null)
            {
                reasons.Add($"{where}: the signature does not verify with {KeyList(keys)} (wrong key, or the payload was altered)");
                continue;
            }

            if (!SimpleSigningPayload.TryParse(payload, out var claimed, out var identity, out var error))
            {
                reasons.Add($"{where}: {error}");
                continue;
            }

            if (claimed != digest)
            {
                reasons.Add($"{where}: the signed payload names {claimed}, not {digest} (a signature for another manifest)");
                continue;
            }

            return new SignatureVerification(pinned, key.KeyId, key.Source, SignatureFormat.SimpleSigning, signatures.Digest, identity);
        }

        if (!manifest.Layers.Any(l => l.MediaType == CosignFormats.SimpleSigningMediaType))
        {
            reasons.Add($"{tag} holds no '{CosignFormats.SimpleSigningMediaType}' layer");
        }

        return null;
    }

    private async Task<SignatureVerification?> VerifyBundlesAsync(ImageReference pinned, Digest digest, IReadOnlyList<VerificationKey> keys, List<string> reasons, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var referrers = await content.GetReferrersAsync(pinned, digest, credentials, cancellationToken).ConfigureAwait(false);
        if (referrers is null)
        {
            // No referrers API (e.g. docker-registry 2.8): the OCI 1.1 tag schema keeps an index under sha256-<hex>.
            var fallback = await content.TryGetManifestAsync(pinned, CosignFormats.ReferrersTag(digest), credentials, cancellationToken).ConfigureAwait(false);
            if (fallback is { IsIndex: true })
            {
                referrers = TryDeserialize(fallback.Content, SupplyChainJsonContext.Default.ImageIndex);
            }
        }

        foreach (var descriptor in (referrers?.Manifests ?? []).Take(MaxSignatures))
        {
            if (descriptor.ArtifactType is { } type && type != CosignFormats.BundleMediaType)
            {
                continue;
            }

            var where = $"referrer {descriptor.Digest}";
            var referrer = await content.TryGetManifestAsync(pinned, descriptor.Digest.ToString(), credentials, cancellationToken).ConfigureAwait(false);
            var manifest = referrer is null || referrer.IsIndex ? null : TryDeserialize(referrer.Content, SupplyChainJsonContext.Default.ImageManifest);
            if (manifest is null)
            {
                reasons.Add($"{where}: missing or not an image manifest");
                continue;
            }

            if (manifest.ArtifactType != CosignFormats.BundleMediaType)
            {
                continue;
            }

            if (manifest.Subject?.Digest != digest)
            {
                reasons.Add($"{where}: its subject is {manifest.Subject?.Digest.ToString() ?? "missing"}, not {digest}");
                continue;
            }

            var layer = manifest.Layers.FirstOrDefault(l => l.MediaType == CosignFormats.BundleMediaType);
            if (layer is null)
            {
                reasons.Add($"{where}: no '{CosignFormats.BundleMediaType}' layer");
                continue;
            }

            var bytes = await ReadSmallBlobAsync(pinned, layer, where, reasons, credentials, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                continue;
            }

            var result = VerifyBundle(bytes, digest, keys, where, reasons);
            if (result is { } ok)
            {
                return new SignatureVerification(pinned, ok.Key.KeyId, ok.Key.Source, SignatureFormat.Bundle, referrer!.Digest, ok.Identity);
            }
        }

        return null;
    }

    /// <summary>Verifies a sigstore bundle's DSSE envelope and checks that its in-toto statement names <paramref name="digest"/>.</summary>
    internal static (VerificationKey Key, string? Identity)? VerifyBundle(byte[] bytes, Digest digest, IReadOnlyList<VerificationKey> keys, string where, List<string> reasons)
    {
        var bundle = TryDeserialize(bytes, SupplyChainJsonContext.Default.SigstoreBundle);
        if (bundle?.DsseEnvelope is not { } envelope)
        {
            reasons.Add(bundle?.MessageSignature is not null
                ? $"{where}: message-signature bundles are not supported; only DSSE envelopes are"
                : $"{where}: not a sigstore bundle with a DSSE envelope");
            return null;
        }

        if (envelope.PayloadType != CosignFormats.InTotoPayloadType || TryBase64(envelope.Payload) is not { } payload)
        {
            reasons.Add($"{where}: the DSSE payload is not a base64 in-toto statement ('{envelope.PayloadType}')");
            return null;
        }

        var pae = SimpleSigningPayload.PreAuthenticationEncoding(envelope.PayloadType, payload);
        VerificationKey? key = null;
        foreach (var signature in (envelope.Signatures ?? []).Take(MaxSignatures))
        {
            if (TryBase64(signature.Sig) is { } sig && keys.FirstOrDefault(k => k.Verify(pae, sig)) is { } found)
            {
                key = found;
                break;
            }
        }

        if (key is null)
        {
            reasons.Add($"{where}: the DSSE signature does not verify with {KeyList(keys)} (wrong key, or the statement was altered)");
            return null;
        }

        var statement = TryDeserialize(payload, SupplyChainJsonContext.Default.InTotoStatement);
        if (statement?.Type is not ("https://in-toto.io/Statement/v1" or "https://in-toto.io/Statement/v0.1"))
        {
            reasons.Add($"{where}: the signed payload is not an in-toto statement");
            return null;
        }

        var subject = statement.Subject?.FirstOrDefault(s => s.Digest?.GetValueOrDefault(digest.Algorithm) is { } hex && string.Equals(hex, digest.Hex, StringComparison.OrdinalIgnoreCase));
        if (subject is null)
        {
            var named = string.Join(", ", (statement.Subject ?? []).SelectMany(s => s.Digest ?? new Dictionary<string, string>()).Select(p => $"{p.Key}:{p.Value}"));
            reasons.Add($"{where}: the signed statement names {(named.Length == 0 ? "no subject" : named)}, not {digest} (a signature for another manifest)");
            return null;
        }

        return (key, subject.Name);
    }

    private async Task<byte[]?> ReadSmallBlobAsync(ImageReference repository, Descriptor layer, string where, List<string> reasons, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        if (layer.Size is < 0 or > SimpleSigningPayload.MaxSize)
        {
            reasons.Add($"{where}: its declared size {layer.Size} is outside 0..{SimpleSigningPayload.MaxSize} bytes");
            return null;
        }

        try
        {
            var stream = await content.OpenBlobAsync(repository, layer, credentials, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }
        catch (RegistryException e) when (e.IsNotFound)
        {
            reasons.Add($"{where}: its blob {layer.Digest} is missing from the registry");
            return null;
        }
        catch (DigestMismatchException e)
        {
            reasons.Add($"{where}: {e.Message}");
            return null;
        }
    }

    private static string KeyList(IReadOnlyList<VerificationKey> keys)
        => keys.Count == 1 ? $"key {keys[0]}" : $"any of {keys.Count} keys ({string.Join(", ", keys.Select(k => k.ToString()))})";

    /// <summary>The <c>docker-reference</c> cosign writes: the repository with its registry.</summary>
    internal static string DockerReference(ImageReference reference)
        => reference.Registry == ImageReference.DockerHubRegistry ? $"index.docker.io/{reference.Repository}" : $"{reference.Registry}/{reference.Repository}";

    private static byte[] SignatureConfig(IReadOnlyList<Descriptor> layers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("architecture", string.Empty);
            json.WriteStartObject("config");
            json.WriteEndObject();
            json.WriteString("created", "0001-01-01T00:00:00Z");
            json.WriteStartArray("history");
            json.WriteStartObject();
            json.WriteString("created", "0001-01-01T00:00:00Z");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("os", string.Empty);
            json.WriteStartObject("rootfs");
            json.WriteString("type", "layers");
            json.WriteStartArray("diff_ids");
            foreach (var layer in layers)
            {
                json.WriteStringValue(layer.Digest.ToString());
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[]? TryBase64(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var n) ? bytes[..n] : null;
    }

    private static T? TryDeserialize<T>(ReadOnlyMemory<byte> bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(bytes.Span, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
