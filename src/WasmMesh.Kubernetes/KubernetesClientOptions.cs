namespace WasmMesh.Kubernetes;

/// <summary>Options of the Kubernetes client registered by <c>AddWasmMeshKubernetes</c>.</summary>
public sealed class KubernetesClientOptions
{
    /// <summary>
    /// An explicit configuration (e.g. pointing at <c>KubernetesTestServer</c>); when null the configuration is
    /// loaded from <see cref="KubeconfigPath"/>/<see cref="Context"/>, or in-cluster. Default: null.
    /// </summary>
    public KubernetesClientConfiguration? Configuration { get; set; }

    /// <summary>A kubeconfig path (or path list); null for <c>KUBECONFIG</c> or <c>~/.kube/config</c>. Default: null.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>A kubeconfig context; null for the current context. Default: null.</summary>
    public string? Context { get; set; }

    /// <summary>Use the in-cluster service account; null detects a pod automatically. Default: null.</summary>
    public bool? InCluster { get; set; }

    /// <summary>The timeout of non-watch requests. Default: 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The User-Agent header. Default: <c>wasmmesh/0.1</c>.</summary>
    public string UserAgent { get; set; } = "wasmmesh/0.1";

    /// <summary>The field manager sent with create, replace and patch requests that name none; null lets the server derive one. Default: null.</summary>
    public string? FieldManager { get; set; }

    /// <summary>Loads the configuration these options describe.</summary>
    /// <returns>The configuration.</returns>
    /// <exception cref="KubernetesConfigurationException">It cannot be loaded.</exception>
    public KubernetesClientConfiguration ResolveConfiguration()
    {
        if (Configuration is not null)
        {
            return Configuration;
        }

        var inCluster = InCluster ?? (KubeconfigPath is null && Context is null && KubernetesClientConfiguration.IsInCluster);
        return inCluster
            ? KubernetesClientConfiguration.LoadInCluster()
            : KubernetesClientConfiguration.LoadKubeconfig(KubeconfigPath, Context);
    }
}
