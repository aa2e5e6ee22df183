namespace WasmMesh.Oci;

/// <summary>The names cosign uses for signatures stored in OCI registries.</summary>
public static class CosignFormats
{
    /// <summary>The media type of a "simple signing" payload layer.</summary>
    public const string SimpleSigningMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>The layer annotation holding the base64 signature over the payload.</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    /// <summary>The <c>critical.type</c> of a cosign simple signing payload.</summary>
    public const string SimpleSigningType = "cosign container image signature";

    /// <summary>The artifact type (and layer media type) of a sigstore bundle stored as a referrer.</summary>
    public const string BundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>The DSSE payload type of an in-toto statement.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>The predicate type cosign uses when it signs an image into a bundle.</summary>
    public const string CosignSignPredicateType = "https://sigstore.dev/cosign/sign/v1";

    /// <summary>The in-toto statement type, v1.</summary>
    public const string InTotoStatementType = "https://in-toto.io/Statement/v1";

    /// <summary>The tag that holds simple signing signatures of <paramref name="digest"/>: <c>sha256-&lt;hex&gt;.sig</c>.</summary>
    /// <param name="digest">The signed manifest digest.</param>
    /// <returns>The tag.</returns>
    public static string SignatureTag(Digest digest) => $"{digest.Algorithm}-{digest.Hex}.sig";

    /// <summary>The referrers fallback tag for registries without the referrers API: <c>sha256-&lt;hex&gt;</c>.</summary>
    /// <param name="digest">The subject manifest digest.</param>
    /// <returns>The tag.</returns>
    public static string ReferrersTag(Digest digest) => $"{digest.Algorithm}-{digest.Hex}";
}
