using System.Text;
using WasmMesh.Model;
using WasmMesh.Oci;
using WasmMesh.Sources;

namespace WasmMesh.Operator;

/// <summary>
/// Checks an AutoWasm's module against <c>spec.verify</c> before anything is fetched into the cache: a registry
/// module's manifest digest must carry a cosign signature (simple signing or sigstore bundle, at the source or at a
/// mirror that serves the module), an object module's pinned sha256 a <c>cosign sign-blob</c> signature at
/// <c>signatureUrl</c>. Public keys come only from Secrets in the AutoWasm's own namespace.
/// </summary>
/// <remarks>
/// A missing or wrong signature, or an unusable key, is an outcome (<see cref="SignatureCheck.Verified"/> false) the
/// caller turns into the <c>Verified</c> condition; a registry or network failure is thrown, so the AutoWasm is retried.
/// </remarks>
internal sealed class AutoWasmSignatureVerifier
{
    private readonly ISecretDataReader _secrets;
    private readonly IModuleSignatureClient _signatures;
    private readonly IDetachedSignatureSource _detached;
    private readonly MirrorConfiguration _mirrors;

    /// <summary>Creates the verifier.</summary>
    /// <param name="secrets">Reads key Secrets.</param>
    /// <param name="signatures">Verifies registry signatures.</param>
    /// <param name="detached">Reads detached signature files.</param>
    /// <param name="mirrors">The mirror configuration (signatures are looked up where the module may be pulled from); none when empty.</param>
    public AutoWasmSignatureVerifier(ISecretDataReader secrets, IModuleSignatureClient signatures, IDetachedSignatureSource detached, IEnumerable<MirrorConfiguration> mirrors)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentNullException.ThrowIfNull(detached);
        ArgumentNullException.ThrowIfNull(mirrors);
        _secrets = secrets;
        _signatures = signatures;
        _detached = detached;
        _mirrors = mirrors.LastOrDefault() ?? MirrorConfiguration.Empty;
    }

    /// <summary>Checks the signature of a registry module's manifest.</summary>
    /// <param name="resource">The AutoWasm (with <c>spec.verify</c>).</param>
    /// <param name="pinned">The module reference pinned to the manifest digest that will be fetched.</param>
    /// <param name="credentials">The pull secret's credentials for the registry, if any.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The outcome.</returns>
    public async Task<SignatureCheck> VerifyManifestAsync(AutoWasm resource, ImageReference pinned, RegistryCredentials? credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(pinned);
        var digest = pinned.Digest ?? throw new ArgumentException("the reference must be pinned to the manifest digest that will be fetched", nameof(pinned));
        var (keys, keyProblem) = await LoadKeysAsync(resource, cancellationToken).ConfigureAwait(false);
        if (keyProblem is not null)
        {
            return keyProblem;
        }

        try
        {
            var refusals = new List<string>();
            var candidates = _mirrors.IsEmpty
                ? [new MirrorCandidate(pinned, CanResolve: true, CanPull: true, IsMirror: false)]
                : _mirrors.Plan(pinned).Where(c => c.CanPull).ToList();
            foreach (var candidate in candidates)
            {
                var target = candidate.Reference.WithDigest(digest);
                try
                {
                    var verified = await _signatures.VerifyAsync(target, keys, candidate.Reference.Registry == pinned.Registry ? credentials : null, cancellationToken).ConfigureAwait(false);
                    var where = candidate.IsMirror ? $" (signature read from mirror {target.Registry})" : string.Empty;
                    return new SignatureCheck(true, "SignatureVerified", $"{digest} is signed ({Describe(verified.Format)}) by key {verified.KeyId} from {verified.KeySource}{where}", verified.KeyId, verified.KeySource);
                }
                catch (SignatureVerificationException e)
                {
                    refusals.Add(candidates.Count == 1 ? string.Join("; ", e.Reasons) : $"{target.Registry}: {string.Join("; ", e.Reasons)}");
                }
                catch (Exception e) when (e is RegistryException or RegistryUnreachableException or ManifestNotFoundException && candidate.IsMirror && !cancellationToken.IsCancellationRequested)
                {
                    // A mirror that cannot answer is skipped as pulls skip it; the source's failure is the caller's to retry.
                    refusals.Add($"{target.Registry}: {e.Message}");
                }
            }

            return new SignatureCheck(false, "SignatureInvalid", $"no signature of {digest} verifies with {Names(resource)}: {string.Join("; ", refusals)}");
        }
        finally
        {
            Dispose(keys);
        }
    }

    /// <summary>Checks the detached signature (<c>signatureUrl</c>) of an object module.</summary>
    /// <param name="resource">The AutoWasm (object source with <c>signatureUrl</c>, with <c>spec.verify</c>).</param>
    /// <param name="sha256">The module's sha256: its pin before download, or the fetched bytes' digest.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The outcome.</returns>
    public async Task<SignatureCheck> VerifyBlobAsync(AutoWasm resource, Digest sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Spec.Filter.Source.Object?.SignatureUrl is not { } signatureUrl)
        {
            return new SignatureCheck(false, "SignatureMissing", "spec.filter.source.object.signatureUrl is not set; object modules are verified against a cosign sign-blob signature");
        }

        var (keys, keyProblem) = await LoadKeysAsync(resource, cancellationToken).ConfigureAwait(false);
        if (keyProblem is not null)
        {
            return keyProblem;
        }

        try
        {
            var file = await _detached.ReadAsync(new Uri(signatureUrl, UriKind.Absolute), cancellationToken).ConfigureAwait(false);
            if (DecodeSignature(file) is not { } signature)
            {
                return new SignatureCheck(false, "SignatureInvalid", "the file at signatureUrl is neither base64 nor a DER signature; point it at the output of 'cosign sign-blob --output-signature'");
            }

            var hash = Convert.FromHexString(sha256.Hex);
            foreach (var key in keys)
            {
                if (key.VerifySha256(hash, signature))
                {
                    return new SignatureCheck(true, "SignatureVerified", $"module {sha256} is signed (sign-blob signature) by key {key.KeyId} from {key.Source}", key.KeyId, key.Source);
                }
            }

            return new SignatureCheck(false, "SignatureInvalid", $"the signature at signatureUrl is not a signature of module {sha256} by {Names(resource)}");
        }
        finally
        {
            Dispose(keys);
        }
    }

    /// <summary>Decodes a detached signature: base64 text (as cosign writes it), or raw DER.</summary>
    internal static byte[]? DecodeSignature(byte[] file)
    {
        var text = Encoding.ASCII.GetString(file).Trim();
        var buffer = new byte[text.Length];
        if (text.Length > 0 && Convert.TryFromBase64String(text, buffer, out var written))
        {
            return buffer[..written];
        }

        return file.Length > 2 && file[0] == 0x30 ? file : null;
    }

    private async Task<(List<VerificationKey> Keys, SignatureCheck? Problem)> LoadKeysAsync(AutoWasm resource, CancellationToken cancellationToken)
    {
        var ns = resource.NamespaceOrDefault;
        var keys = new List<VerificationKey>();
        var verify = resource.Spec.Verify ?? throw new ArgumentException("the AutoWasm has no spec.verify", nameof(resource));
        for (var i = 0; i < verify.PublicKeys.Count; i++)
        {
            var reference = verify.PublicKeys[i];
            var data = await _secrets.ReadAsync(ns, reference.Name, cancellationToken).ConfigureAwait(false);
            if (data is null)
            {
                Dispose(keys);
                return ([], new SignatureCheck(false, "PublicKeyUnavailable", $"spec.verify.publicKeys[{i}]: Secret {ns}/{reference.Name} does not exist; create it (e.g. 'cosign generate-key-pair k8s://{ns}/{reference.Name}', or 'kubectl create secret generic {reference.Name} -n {ns} --from-file=cosign.pub')"));
            }

            try
            {
                keys.Add(SigningKeys.LoadPublicKeyFromSecret(data, $"{ns}/{reference.Name}", reference.Key));
            }
            catch (SigningKeyException e)
            {
                Dispose(keys);
                return ([], new SignatureCheck(false, "PublicKeyUnavailable", $"spec.verify.publicKeys[{i}]: {e.Message}"));
            }
        }

        return (keys, null);
    }

    private static string Names(AutoWasm resource)
        => resource.Spec.Verify!.PublicKeys.Count == 1 ? "the key in Secret " + resource.Spec.Verify.PublicKeys[0].Name : $"any of the {resource.Spec.Verify.PublicKeys.Count} keys";

    private static string Describe(SignatureFormat format) => format == SignatureFormat.Bundle ? "sigstore bundle" : "cosign simple signing";

    private static void Dispose(List<VerificationKey> keys)
    {
        foreach (var key in keys)
        {
            key.Dispose();
        }

        keys.Clear();
    }
}
