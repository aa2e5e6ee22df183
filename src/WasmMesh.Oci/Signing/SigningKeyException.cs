namespace WasmMesh.Oci;

/// <summary>A key file cannot be read: wrong format, unsupported algorithm, or a missing or wrong password.</summary>
public sealed class SigningKeyException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">Where the key came from (a file name or a Secret), never key material.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public SigningKeyException(string source, string problem, Exception? innerException = null)
        : base($"{source}: {problem}", innerException)
    {
        Source = source;
    }

    /// <summary>Where the key came from.</summary>
    public new string Source { get; }
}
