namespace WasmMesh.Oci;

/// <summary>A registry could not be reached: connection refused, DNS, TLS, or a timeout.</summary>
public sealed class RegistryUnreachableException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="registry">The registry host.</param>
    /// <param name="reason">What went wrong (no credentials, no query strings).</param>
    /// <param name="innerException">The cause.</param>
    public RegistryUnreachableException(string registry, string reason, Exception? innerException)
        : base($"cannot reach registry {registry}: {reason}", innerException)
    {
        Registry = registry;
        Reason = reason;
    }

    /// <summary>The registry host.</summary>
    public string Registry { get; }

    /// <summary>What went wrong.</summary>
    public string Reason { get; }
}
