namespace WasmMesh.Oci;

/// <summary>
/// No signature of a manifest verified with the given keys. <see cref="Reasons"/> says, per signature found,
/// why it was refused (or that none was found).
/// </summary>
public sealed class SignatureVerificationException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="subject">The verified reference, with its digest.</param>
    /// <param name="manifestDigest">The manifest digest that was checked.</param>
    /// <param name="reasons">Why each signature was refused; never empty.</param>
    public SignatureVerificationException(string subject, Digest manifestDigest, IReadOnlyList<string> reasons)
        : base($"{subject}: no valid signature for {manifestDigest}: {string.Join("; ", reasons)}")
    {
        Subject = subject;
        ManifestDigest = manifestDigest;
        Reasons = reasons;
    }

    /// <summary>The verified reference.</summary>
    public string Subject { get; }

    /// <summary>The manifest digest that was checked.</summary>
    public Digest ManifestDigest { get; }

    /// <summary>Why each signature found was refused, or that none was found.</summary>
    public IReadOnlyList<string> Reasons { get; }
}
