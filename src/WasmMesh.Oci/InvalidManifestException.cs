namespace WasmMesh.Oci;

/// <summary>A registry returned a manifest or index that is not valid JSON of the expected shape.</summary>
public sealed class InvalidManifestException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="subject">The manifest's reference or URL (no query string).</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="innerException">The parser error, when there is one.</param>
    public InvalidManifestException(string subject, string reason, Exception? innerException = null)
        : base($"invalid manifest {subject}: {reason}", innerException)
    {
        Subject = subject;
        Reason = reason;
    }

    /// <summary>The manifest's reference or URL.</summary>
    public string Subject { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
