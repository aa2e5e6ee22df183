using k8s;
using k8s.Exceptions;

namespace WasmMesh.Kubernetes;

/// <summary>Options of the <see cref="IKubernetes"/> client registered by <c>AddWasmMeshKubernetes</c>.</summary>
public sealed class KubernetesClientOptions
{
    /// <summary>
    /// An explicit configuration (e.g. pointing at <c>KubernetesTestServer</c>); when null the configuration is
    /// loaded from <see cref="KubeconfigPath"/>/<see cref="Context"/>, or in-cluster. Default: null.
    /// </summary>
    public KubernetesClientConfiguration? Configuration { get; set; }

    /// <summary>A kubeconfig path; null for <c>KUBECONFIG</c> (several files merged) or <c>~/.kube/config</c>. Default: null.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>A kubeconfig context; null for the current context. Default: null.</summary>
    public string? Context { get; set; }

    /// <summary>Use the in-cluster service account; null detects a pod automatically. Default: null.</summary>
    public bool? InCluster { get; set; }

    /// <summary>The timeout of non-watch requests. Default: 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The User-Agent header. Default: <c>wasmmesh/0.1</c>.</summary>
    public string UserAgent { get; set; } = "wasmmesh/0.1";

    /// <summary>
    /// Loads the configuration these options describe with KubernetesClient's <see cref="KubernetesClientConfiguration"/>
    /// (kubeconfig merging, contexts, exec plugins, client certificates, CA, in-cluster service account).
    /// </summary>
    /// <returns>The configuration, with <see cref="RequestTimeout"/> and <see cref="UserAgent"/> applied.</returns>
    /// <exception cref="KubernetesConfigurationException">It cannot be loaded.</exception>
    public KubernetesClientConfiguration ResolveConfiguration()
    {
        KubernetesClientConfiguration config;
        if (Configuration is not null)
        {
            config = Configuration;
        }
        else
        {
            var inCluster = InCluster ?? (KubeconfigPath is null && Context is null && KubernetesClientConfiguration.IsInCluster());
            try
            {
                config = inCluster
                    ? KubernetesClientConfiguration.InClusterConfig()
                    : KubeconfigPath is null && Context is null
                        ? KubernetesClientConfiguration.BuildDefaultConfig()
                        : KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath ?? DefaultKubeconfigPath(), Context);
            }
            catch (Exception ex) when (ex is KubeConfigException or KubernetesClientException or IOException or UnauthorizedAccessException or FormatException or ArgumentException or YamlDotNet.Core.YamlException)
            {
                var where = inCluster ? "the in-cluster service account" : $"kubeconfig {KubeconfigPath ?? DefaultKubeconfigPath()}{(Context is null ? string.Empty : $" (context {Context})")}";
                throw new KubernetesConfigurationException($"Cannot load the Kubernetes configuration from {where}: {ex.Message}. Fix the file or pass --kubeconfig/--context.", ex);
            }
        }

        config.HttpClientTimeout = RequestTimeout;
        config.UserAgent ??= UserAgent;
        return config;
    }

    private static string DefaultKubeconfigPath()
    {
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        return string.IsNullOrEmpty(env) ? KubernetesClientConfiguration.KubeConfigDefaultLocation : env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
    }
}
