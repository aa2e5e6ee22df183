namespace WasmMesh.Oci;

/// <summary>Every mirror (and the source, where allowed) failed to resolve or serve a reference.</summary>
public sealed class MirrorsExhaustedException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reference">The reference.</param>
    /// <param name="failures">What each place answered, in the order tried.</param>
    public MirrorsExhaustedException(string reference, IReadOnlyList<string> failures)
        : base($"{reference}: every source failed: {string.Join("; ", failures)}")
    {
        Reference = reference;
        Failures = failures;
    }

    /// <summary>The reference.</summary>
    public string Reference { get; }

    /// <summary>What each place answered.</summary>
    public IReadOnlyList<string> Failures { get; }
}
