namespace WasmMesh;

/// <summary>Content did not hash to the digest it was expected to have. Nothing was stored.</summary>
public sealed class DigestMismatchException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="expected">The digest the content should have had.</param>
    /// <param name="actual">The digest the content actually had.</param>
    /// <param name="subject">What was being verified, e.g. a blob URL or a file name (no credentials).</param>
    public DigestMismatchException(Digest expected, Digest actual, string subject)
        : base($"digest mismatch for {subject}: expected {expected}, got {actual}; the content was tampered with or corrupted and was not used")
    {
        Expected = expected;
        Actual = actual;
        Subject = subject;
    }

    /// <summary>The digest the content should have had.</summary>
    public Digest Expected { get; }

    /// <summary>The digest the content actually had.</summary>
    public Digest Actual { get; }

    /// <summary>What was being verified.</summary>
    public string Subject { get; }
}
