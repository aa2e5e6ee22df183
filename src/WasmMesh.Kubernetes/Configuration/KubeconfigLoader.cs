using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WasmMesh.Kubernetes;

/// <summary>Reads kubeconfig files (merging several like kubectl) and the in-cluster service account.</summary>
internal static class KubeconfigLoader
{
    private sealed record Named(YamlMappingNode Node, string BaseDirectory);

    private sealed class Merged
    {
        public Dictionary<string, Named> Clusters { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Named> Users { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Named> Contexts { get; } = new(StringComparer.Ordinal);

        public string? CurrentContext { get; set; }
    }

    public static KubernetesClientConfiguration Load(string? kubeconfigPath, string? context)
    {
        var spec = kubeconfigPath ?? Environment.GetEnvironmentVariable("KUBECONFIG");
        List<string> files;
        if (string.IsNullOrWhiteSpace(spec))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            files = [Path.Combine(home, ".kube", "config")];
        }
        else
        {
            files = spec.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        var existing = files.Where(File.Exists).ToList();
        var source = string.Join(Path.PathSeparator, files);
        if (existing.Count == 0)
        {
            throw new KubernetesConfigurationException(
                $"No kubeconfig file found at '{source}'. Set KUBECONFIG or pass a path, or run in a pod for in-cluster configuration.",
                source);
        }

        var merged = new Merged();
        foreach (var file in existing)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException ex)
            {
                throw new KubernetesConfigurationException($"Cannot read kubeconfig '{file}': {ex.Message}", file, ex);
            }

            MergeInto(merged, text, Path.GetDirectoryName(Path.GetFullPath(file))!, file);
        }

        return Resolve(merged, context, source);
    }

    public static KubernetesClientConfiguration FromYaml(string yaml, string? context, string? baseDirectory)
    {
        var merged = new Merged();
        MergeInto(merged, yaml, baseDirectory ?? Environment.CurrentDirectory, "kubeconfig text");
        return Resolve(merged, context, "kubeconfig text");
    }

    public static KubernetesClientConfiguration InCluster(string directory) =>
        InCluster(directory, Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"), Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"));

    internal static KubernetesClientConfiguration InCluster(string directory, string? host, string? port)
    {
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubernetesConfigurationException(
                "Not running in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set. Use a kubeconfig outside a cluster.",
                "in-cluster");
        }

        var tokenFile = Path.Combine(directory, "token");
        if (!File.Exists(tokenFile))
        {
            throw new KubernetesConfigurationException(
                $"The service-account token '{tokenFile}' does not exist. Mount a service-account token (automountServiceAccountToken: true).",
                "in-cluster");
        }

        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        var caFile = Path.Combine(directory, "ca.crt");
        var nsFile = Path.Combine(directory, "namespace");
        return new KubernetesClientConfiguration
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            TokenFile = tokenFile,
            CertificateAuthorityData = Memory(File.Exists(caFile) ? File.ReadAllBytes(caFile) : null),
            Namespace = File.Exists(nsFile) && File.ReadAllText(nsFile).Trim() is { Length: > 0 } ns ? ns : "default",
        };
    }

    private static void MergeInto(Merged merged, string text, string baseDirectory, string source)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using var reader = new StringReader(text);
            stream.Load(reader);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return;
            }

            root = mapping;
        }
        catch (YamlException ex)
        {
            throw new KubernetesConfigurationException($"Kubeconfig {source} is not valid YAML at line {ex.Start.Line}: {ex.Message}", source, ex);
        }

        AddNamed(merged.Clusters, root, "clusters", "cluster", baseDirectory);
        AddNamed(merged.Users, root, "users", "user", baseDirectory);
        AddNamed(merged.Contexts, root, "contexts", "context", baseDirectory);
        if (merged.CurrentContext is null && Scalar(root, "current-context") is { Length: > 0 } current)
        {
            merged.CurrentContext = current;
        }
    }

    private static void AddNamed(Dictionary<string, Named> target, YamlMappingNode root, string listKey, string itemKey, string baseDirectory)
    {
        if (Child(root, listKey) is not YamlSequenceNode items)
        {
            return;
        }

        foreach (var item in items.OfType<YamlMappingNode>())
        {
            var name = Scalar(item, "name");
            if (string.IsNullOrEmpty(name) || target.ContainsKey(name))
            {
                continue;
            }

            target[name] = new Named(Child(item, itemKey) as YamlMappingNode ?? new YamlMappingNode(), baseDirectory);
        }
    }

    private static KubernetesClientConfiguration Resolve(Merged merged, string? context, string source)
    {
        var contextName = context ?? merged.CurrentContext;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubernetesConfigurationException(
                $"Kubeconfig {source} has no current-context. Name a context, or run 'kubectl config use-context NAME'.",
                source);
        }

        if (!merged.Contexts.TryGetValue(contextName, out var ctx))
        {
            throw new KubernetesConfigurationException(
                $"Kubeconfig {source} has no context '{contextName}'. Known contexts: {string.Join(", ", merged.Contexts.Keys)}.",
                source);
        }

        var clusterName = Scalar(ctx.Node, "cluster");
        if (clusterName is null || !merged.Clusters.TryGetValue(clusterName, out var cluster))
        {
            throw new KubernetesConfigurationException(
                $"Context '{contextName}' in kubeconfig {source} refers to cluster '{clusterName}', which is not defined.",
                source);
        }

        var server = Scalar(cluster.Node, "server");
        if (string.IsNullOrEmpty(server) || !Uri.TryCreate(server, UriKind.Absolute, out var serverUri))
        {
            throw new KubernetesConfigurationException(
                $"Cluster '{clusterName}' in kubeconfig {source} has no valid server URL (got '{server}').",
                source);
        }

        Named? user = null;
        var userName = Scalar(ctx.Node, "user");
        if (!string.IsNullOrEmpty(userName) && !merged.Users.TryGetValue(userName, out user))
        {
            throw new KubernetesConfigurationException(
                $"Context '{contextName}' in kubeconfig {source} refers to user '{userName}', which is not defined.",
                source);
        }

        var u = user?.Node ?? new YamlMappingNode();
        var userDir = user?.BaseDirectory ?? cluster.BaseDirectory;
        return new KubernetesClientConfiguration
        {
            Server = serverUri,
            ContextName = contextName,
            Namespace = Scalar(ctx.Node, "namespace") is { Length: > 0 } ns ? ns : "default",
            CertificateAuthorityData = Memory(DataOrFile(cluster.Node, "certificate-authority-data", "certificate-authority", cluster.BaseDirectory, source)),
            SkipTlsVerify = string.Equals(Scalar(cluster.Node, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            TlsServerName = Scalar(cluster.Node, "tls-server-name"),
            ClientCertificateData = Memory(DataOrFile(u, "client-certificate-data", "client-certificate", userDir, source)),
            ClientKeyData = Memory(DataOrFile(u, "client-key-data", "client-key", userDir, source)),
            AccessToken = Scalar(u, "token") is { Length: > 0 } token ? token : null,
            TokenFile = Scalar(u, "tokenFile") is { Length: > 0 } tokenFile ? ResolvePath(tokenFile, userDir) : null,
            Username = Scalar(u, "username"),
            Password = Scalar(u, "password"),
            Exec = ParseExec(u),
        };
    }

    private static ExecCredentialSettings? ParseExec(YamlMappingNode user)
    {
        if (Child(user, "exec") is not YamlMappingNode exec || Scalar(exec, "command") is not { Length: > 0 } command)
        {
            return null;
        }

        var args = Child(exec, "args") is YamlSequenceNode seq
            ? seq.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList()
            : [];
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(exec, "env") is YamlSequenceNode envs)
        {
            foreach (var e in envs.OfType<YamlMappingNode>())
            {
                if (Scalar(e, "name") is { Length: > 0 } n)
                {
                    env[n] = Scalar(e, "value") ?? string.Empty;
                }
            }
        }

        return new ExecCredentialSettings
        {
            Command = command,
            Arguments = args,
            Environment = env,
            ApiVersion = Scalar(exec, "apiVersion") ?? "client.authentication.k8s.io/v1",
        };
    }

    private static byte[]? DataOrFile(YamlMappingNode node, string dataKey, string fileKey, string baseDirectory, string source)
    {
        if (Scalar(node, dataKey) is { Length: > 0 } data)
        {
            try
            {
                return Convert.FromBase64String(data);
            }
            catch (FormatException ex)
            {
                throw new KubernetesConfigurationException($"Kubeconfig {source}: '{dataKey}' is not valid base64.", source, ex);
            }
        }

        if (Scalar(node, fileKey) is { Length: > 0 } file)
        {
            var path = ResolvePath(file, baseDirectory);
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KubernetesConfigurationException($"Kubeconfig {source}: cannot read '{fileKey}' file '{path}': {ex.Message}", source, ex);
            }
        }

        return null;
    }

    private static string ResolvePath(string path, string baseDirectory)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]);
        }

        return Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => Child(node, key) is YamlScalarNode s ? s.Value : null;

    /// <summary>Keeps "absent" distinct from "empty": a null array must not become an empty memory.</summary>
    private static ReadOnlyMemory<byte>? Memory(byte[]? bytes) => bytes is null ? default(ReadOnlyMemory<byte>?) : new ReadOnlyMemory<byte>(bytes);
}
