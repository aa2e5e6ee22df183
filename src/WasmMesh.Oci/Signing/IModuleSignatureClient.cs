namespace WasmMesh.Oci;

/// <summary>
/// Signs manifests the way cosign does and verifies cosign signatures offline with public keys.
/// Registered by <c>services.AddWasmMeshOci()</c>.
/// </summary>
/// <remarks>
/// Signing writes a "simple signing" signature: tag <c>sha256-&lt;hex&gt;.sig</c>, one
/// <see cref="CosignFormats.SimpleSigningMediaType"/> layer per signature with the
/// <see cref="CosignFormats.SignatureAnnotation"/> annotation. Verification accepts that, and the cosign v3 bundle
/// stored as an OCI 1.1 referrer (DSSE envelope over an in-toto statement whose subject is the manifest digest),
/// found through the referrers API or the <c>sha256-&lt;hex&gt;</c> tag fallback. Transparency-log entries and
/// certificates are not checked: this is key-based verification, as <c>cosign verify --key --insecure-ignore-tlog</c>.
/// </remarks>
public interface IModuleSignatureClient
{
    /// <summary>Signs the manifest <paramref name="reference"/> names (resolving a tag first) and stores the signature beside it.</summary>
    /// <param name="reference">The module reference.</param>
    /// <param name="key">The private key.</param>
    /// <param name="credentials">Registry credentials, or <see langword="null"/> to ask the registered provider.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was signed and where the signature is.</returns>
    Task<SignatureResult> SignAsync(ImageReference reference, SigningKey key, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>Checks that the manifest <paramref name="reference"/> names has a signature that verifies with one of <paramref name="keys"/>.</summary>
    /// <param name="reference">The module reference (a tag is resolved; a digest is checked as given).</param>
    /// <param name="keys">The trusted public keys; at least one.</param>
    /// <param name="credentials">Registry credentials, or <see langword="null"/> to ask the registered provider.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signature that verified.</returns>
    /// <exception cref="SignatureVerificationException">No signature verifies; the reasons say why, per signature.</exception>
    /// <exception cref="ManifestNotFoundException">The module itself does not exist.</exception>
    Task<SignatureVerification> VerifyAsync(ImageReference reference, IReadOnlyList<VerificationKey> keys, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="IModuleSignatureClient.SignAsync"/>.</summary>
/// <param name="Reference">The signed module, pinned to its digest.</param>
/// <param name="SignatureReference">Where the signature is stored (the <c>.sig</c> tag).</param>
/// <param name="SignatureManifestDigest">The digest of the signature manifest.</param>
/// <param name="KeyId">The signing key's id.</param>
public sealed record SignatureResult(ImageReference Reference, ImageReference SignatureReference, Digest SignatureManifestDigest, string KeyId);

/// <summary>How a signature was stored.</summary>
public enum SignatureFormat
{
    /// <summary>cosign simple signing (tag <c>sha256-&lt;hex&gt;.sig</c>).</summary>
    SimpleSigning,

    /// <summary>cosign v3 sigstore bundle stored as an OCI 1.1 referrer (DSSE + in-toto).</summary>
    Bundle,
}

/// <summary>A signature that verified.</summary>
/// <param name="Reference">The verified module, pinned to its digest.</param>
/// <param name="KeyId">The id of the key that verified it.</param>
/// <param name="KeySource">Where that key came from.</param>
/// <param name="Format">How the signature was stored.</param>
/// <param name="SignatureManifestDigest">The manifest that holds the signature.</param>
/// <param name="SignedIdentity">The repository the signer named (simple signing <c>docker-reference</c>, or the in-toto subject name), if any.</param>
public sealed record SignatureVerification(ImageReference Reference, string KeyId, string KeySource, SignatureFormat Format, Digest SignatureManifestDigest, string? SignedIdentity);
