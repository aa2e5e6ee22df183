namespace WasmMesh.Kubernetes;

/// <summary>
/// Where the API server is and how to authenticate to it. Load one with <see cref="LoadKubeconfig"/>,
/// <see cref="FromKubeconfigYaml"/>, <see cref="LoadInCluster"/> or <see cref="LoadDefault"/>, or build one directly.
/// </summary>
/// <remarks><see cref="ToString"/> never prints credentials.</remarks>
public sealed class KubernetesClientConfiguration
{
    /// <summary>The default service-account directory mounted into pods.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The API server URL, e.g. <c>https://10.0.0.1:443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>The default namespace (the context's or the pod's); <c>default</c> when none is configured.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>The kubeconfig context this configuration came from, or null.</summary>
    public string? ContextName { get; init; }

    /// <summary>The certificate authority bundle (PEM, or DER for a single certificate) the server certificate must chain to; null for the system store.</summary>
    public ReadOnlyMemory<byte>? CertificateAuthorityData { get; init; }

    /// <summary>The client certificate (PEM) for mutual TLS.</summary>
    public ReadOnlyMemory<byte>? ClientCertificateData { get; init; }

    /// <summary>The client private key (PEM) for mutual TLS.</summary>
    public ReadOnlyMemory<byte>? ClientKeyData { get; init; }

    /// <summary>A static bearer token.</summary>
    public string? AccessToken { get; init; }

    /// <summary>A file holding the bearer token; re-read periodically so rotated tokens are picked up.</summary>
    public string? TokenFile { get; init; }

    /// <summary>The basic-auth user name (used only without a token).</summary>
    public string? Username { get; init; }

    /// <summary>The basic-auth password.</summary>
    public string? Password { get; init; }

    /// <summary>An exec credential plugin that supplies a token.</summary>
    public ExecCredentialSettings? Exec { get; init; }

    /// <summary>Skip verification of the server certificate (development only).</summary>
    public bool SkipTlsVerify { get; init; }

    /// <summary>The server name to verify the certificate against, when it differs from the URL host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>
    /// Loads a kubeconfig. With no path, uses <c>KUBECONFIG</c> (several files separated by the path separator are
    /// merged: the first file to define a name wins, as kubectl does) or <c>~/.kube/config</c>.
    /// </summary>
    /// <param name="kubeconfigPath">A kubeconfig file, or a path-separator list of files; null for the default.</param>
    /// <param name="context">A context name; null for the current context.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="KubernetesConfigurationException">No file, no such context, cluster or user, or unreadable credentials.</exception>
    public static KubernetesClientConfiguration LoadKubeconfig(string? kubeconfigPath = null, string? context = null) =>
        KubeconfigLoader.Load(kubeconfigPath, context);

    /// <summary>Parses kubeconfig YAML text.</summary>
    /// <param name="yaml">The kubeconfig text.</param>
    /// <param name="context">A context name; null for the current context.</param>
    /// <param name="baseDirectory">The directory relative file paths are resolved against; null for the current directory.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="KubernetesConfigurationException">The text is invalid or lacks the context, cluster or user.</exception>
    public static KubernetesClientConfiguration FromKubeconfigYaml(string yaml, string? context = null, string? baseDirectory = null) =>
        KubeconfigLoader.FromYaml(yaml, context, baseDirectory);

    /// <summary>True when running in a pod: <c>KUBERNETES_SERVICE_HOST</c> is set and the service-account token exists.</summary>
    public static bool IsInCluster =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
        && File.Exists(Path.Combine(ServiceAccountDirectory, "token"));

    /// <summary>
    /// The in-cluster configuration: <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, the service-account token (re-read
    /// when it rotates), CA and namespace files.
    /// </summary>
    /// <param name="serviceAccountDirectory">The service-account directory; null for <see cref="ServiceAccountDirectory"/>.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="KubernetesConfigurationException">Not in a pod, or the token file is missing.</exception>
    public static KubernetesClientConfiguration LoadInCluster(string? serviceAccountDirectory = null) =>
        KubeconfigLoader.InCluster(serviceAccountDirectory ?? ServiceAccountDirectory);

    /// <summary>In-cluster configuration in a pod, otherwise the default kubeconfig.</summary>
    /// <returns>The configuration.</returns>
    /// <exception cref="KubernetesConfigurationException">Neither is available.</exception>
    public static KubernetesClientConfiguration LoadDefault() => IsInCluster ? LoadInCluster() : LoadKubeconfig();

    /// <summary>The server and context, never credentials.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => ContextName is null ? $"{Server} (namespace {Namespace})" : $"{Server} (context {ContextName}, namespace {Namespace})";
}
