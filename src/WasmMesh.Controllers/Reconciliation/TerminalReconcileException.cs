namespace WasmMesh.Controllers;

/// <summary>
/// Thrown by a reconciler for a failure that retrying cannot fix (for example an invalid spec). The
/// controller logs and counts it and forgets the key: it is reconciled again only when the object changes.
/// </summary>
public sealed class TerminalReconcileException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong, where, and how to fix it.</param>
    public TerminalReconcileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What was wrong, where, and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public TerminalReconcileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
