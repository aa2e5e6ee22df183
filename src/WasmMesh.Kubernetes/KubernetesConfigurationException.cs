namespace WasmMesh.Kubernetes;

/// <summary>The Kubernetes configuration (kubeconfig, context or in-cluster service account) cannot be loaded.</summary>
public sealed class KubernetesConfigurationException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, where, and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public KubernetesConfigurationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
