namespace WasmMesh.Oci;

/// <summary>A mirror configuration (ImageDigestMirrorSet/ImageTagMirrorSet objects or a containerd hosts directory) is invalid.</summary>
public sealed class MirrorConfigurationException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file or directory.</param>
    /// <param name="problem">What is wrong, where, and how to fix it.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public MirrorConfigurationException(string source, string problem, Exception? innerException = null)
        : base($"{source}: {problem}", innerException)
    {
    }
}
