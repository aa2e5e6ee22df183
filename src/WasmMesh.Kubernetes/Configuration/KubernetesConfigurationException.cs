namespace WasmMesh.Kubernetes;

/// <summary>A kubeconfig or in-cluster configuration could not be loaded: a missing file, context, cluster or credential.</summary>
public sealed class KubernetesConfigurationException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong, where, and how to fix it.</param>
    /// <param name="source">The file or environment the configuration came from, when known.</param>
    /// <param name="innerException">The cause.</param>
    public KubernetesConfigurationException(string message, string? source = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ConfigurationSource = source;
    }

    /// <summary>The kubeconfig path(s) or <c>in-cluster</c>, when known.</summary>
    public string? ConfigurationSource { get; }
}
