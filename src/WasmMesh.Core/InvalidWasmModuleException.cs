namespace WasmMesh;

/// <summary>Bytes that should be a WebAssembly module are not one (wrong magic, truncated or malformed sections).</summary>
public sealed class InvalidWasmModuleException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="subject">What was inspected, e.g. a file name.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="offset">The byte offset where the problem was found.</param>
    public InvalidWasmModuleException(string subject, string reason, long offset)
        : base($"{subject} is not a valid WebAssembly module: {reason} (at byte {offset})")
    {
        Subject = subject;
        Reason = reason;
        Offset = offset;
    }

    /// <summary>What was inspected.</summary>
    public string Subject { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }

    /// <summary>The byte offset where the problem was found.</summary>
    public long Offset { get; }
}
