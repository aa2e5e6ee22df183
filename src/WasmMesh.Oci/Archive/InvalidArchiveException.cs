namespace WasmMesh.Oci;

/// <summary>An OCI image layout archive is malformed, unsafe or incomplete.</summary>
public sealed class InvalidArchiveException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="archive">The archive path.</param>
    /// <param name="problem">What is wrong and where.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public InvalidArchiveException(string archive, string problem, Exception? innerException = null)
        : base($"{archive}: {problem}", innerException)
    {
        Archive = archive;
    }

    /// <summary>The archive path.</summary>
    public string Archive { get; }
}
