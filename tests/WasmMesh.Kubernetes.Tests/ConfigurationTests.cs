using System.Text;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Kubernetes.Tests;

public sealed class ConfigurationTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Kubeconfig(string current, string clusters, string users, string contexts) =>
        $"apiVersion: v1\nkind: Config\ncurrent-context: {current}\nclusters:\n{clusters}users:\n{users}contexts:\n{contexts}";

    [Fact]
    public void FromKubeconfigYaml_CurrentContext_ResolvesServerNamespaceAndToken()
    {
        var yaml = Kubeconfig("dev",
            "- name: c1\n  cluster:\n    server: https://10.0.0.1:6443\n",
            "- name: u1\n  user:\n    token: abc123\n",
            "- name: dev\n  context:\n    cluster: c1\n    user: u1\n    namespace: team\n");

        var config = KubernetesClientConfiguration.FromKubeconfigYaml(yaml);

        Assert.Equal(new Uri("https://10.0.0.1:6443"), config.Server);
        Assert.Equal("team", config.Namespace);
        Assert.Equal("dev", config.ContextName);
        Assert.Equal("abc123", config.AccessToken);
        Assert.Null(config.CertificateAuthorityData);
        Assert.Null(config.ClientCertificateData);
        Assert.False(config.SkipTlsVerify);
    }

    [Fact]
    public void FromKubeconfigYaml_ExplicitContext_OverridesCurrentContext()
    {
        var yaml = Kubeconfig("a",
            "- name: ca\n  cluster:\n    server: https://a.example\n- name: cb\n  cluster:\n    server: https://b.example\n",
            "- name: u\n  user: {}\n",
            "- name: a\n  context: {cluster: ca, user: u}\n- name: b\n  context: {cluster: cb, user: u}\n");

        var config = KubernetesClientConfiguration.FromKubeconfigYaml(yaml, context: "b");

        Assert.Equal("https://b.example/", config.Server.ToString());
        Assert.Equal("default", config.Namespace);
        Assert.Null(config.AccessToken);
    }

    [Fact]
    public void FromKubeconfigYaml_InlineCertificatesBasicAuthAndInsecure_AreDecoded()
    {
        var yaml = Kubeconfig("x",
            $"- name: c\n  cluster:\n    server: https://k\n    certificate-authority-data: {B64("CA PEM")}\n    insecure-skip-tls-verify: true\n    tls-server-name: api.internal\n",
            $"- name: u\n  user:\n    client-certificate-data: {B64("CERT PEM")}\n    client-key-data: {B64("KEY PEM")}\n    username: admin\n    password: s3cret\n",
            "- name: x\n  context: {cluster: c, user: u}\n");

        var config = KubernetesClientConfiguration.FromKubeconfigYaml(yaml);

        Assert.Equal("CA PEM", Encoding.UTF8.GetString(config.CertificateAuthorityData!.Value.Span));
        Assert.Equal("CERT PEM", Encoding.UTF8.GetString(config.ClientCertificateData!.Value.Span));
        Assert.Equal("KEY PEM", Encoding.UTF8.GetString(config.ClientKeyData!.Value.Span));
        Assert.Equal("admin", config.Username);
        Assert.Equal("s3cret", config.Password);
        Assert.True(config.SkipTlsVerify);
        Assert.Equal("api.internal", config.TlsServerName);
    }

    [Fact]
    public void FromKubeconfigYaml_RelativeFiles_ResolveAgainstTheKubeconfigDirectory()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("ca.crt"), "CA FILE");
        File.WriteAllText(dir.Combine("client.crt"), "CERT FILE");
        File.WriteAllText(dir.Combine("client.key"), "KEY FILE");
        var yaml = Kubeconfig("x",
            "- name: c\n  cluster:\n    server: https://k\n    certificate-authority: ca.crt\n",
            "- name: u\n  user:\n    client-certificate: client.crt\n    client-key: client.key\n    tokenFile: token\n",
            "- name: x\n  context: {cluster: c, user: u}\n");

        var config = KubernetesClientConfiguration.FromKubeconfigYaml(yaml, baseDirectory: dir.Path);

        Assert.Equal("CA FILE", Encoding.UTF8.GetString(config.CertificateAuthorityData!.Value.Span));
        Assert.Equal("CERT FILE", Encoding.UTF8.GetString(config.ClientCertificateData!.Value.Span));
        Assert.Equal("KEY FILE", Encoding.UTF8.GetString(config.ClientKeyData!.Value.Span));
        Assert.Equal(dir.Combine("token"), config.TokenFile);
    }

    [Fact]
    public void LoadKubeconfig_SeveralFiles_FirstDefinitionWinsAndMissingFilesAreSkipped()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("one"), Kubeconfig("shared",
            "- name: c\n  cluster:\n    server: https://first\n",
            "- name: u\n  user:\n    token: first-token\n",
            "- name: shared\n  context: {cluster: c, user: u, namespace: one}\n"));
        File.WriteAllText(dir.Combine("two"), Kubeconfig("other",
            "- name: c\n  cluster:\n    server: https://second\n- name: c2\n  cluster:\n    server: https://only-in-two\n",
            "- name: u\n  user:\n    token: second-token\n",
            "- name: shared\n  context: {cluster: c2, user: u}\n- name: other\n  context: {cluster: c2, user: u}\n"));
        var list = string.Join(Path.PathSeparator, dir.Combine("missing"), dir.Combine("one"), dir.Combine("two"));

        var current = KubernetesClientConfiguration.LoadKubeconfig(list);
        var other = KubernetesClientConfiguration.LoadKubeconfig(list, "other");

        Assert.Equal("shared", current.ContextName);
        Assert.Equal("https://first/", current.Server.ToString());
        Assert.Equal("first-token", current.AccessToken);
        Assert.Equal("one", current.Namespace);
        Assert.Equal("https://only-in-two/", other.Server.ToString());
        Assert.Equal("first-token", other.AccessToken);
    }

    [Fact]
    public void LoadKubeconfig_NoFile_ThrowsWithTheSearchedPath()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.LoadKubeconfig(dir.Combine("absent")));
        Assert.Contains(dir.Combine("absent"), ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<WasmMeshException>(ex);
    }

    [Fact]
    public void FromKubeconfigYaml_UnknownContext_ListsKnownContexts()
    {
        var yaml = Kubeconfig("a", "- name: c\n  cluster:\n    server: https://k\n", "- name: u\n  user: {}\n", "- name: a\n  context: {cluster: c, user: u}\n");
        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfigYaml(yaml, "nope"));
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Known contexts: a", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfigYaml_MissingCluster_SaysWhichContextRefersToIt()
    {
        var yaml = Kubeconfig("a", string.Empty, "- name: u\n  user: {}\n", "- name: a\n  context: {cluster: gone, user: u}\n");
        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfigYaml(yaml));
        Assert.Contains("cluster 'gone'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfigYaml_ExecPlugin_IsParsed()
    {
        var yaml = Kubeconfig("x",
            "- name: c\n  cluster:\n    server: https://k\n",
            "- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: get-token\n      args: [--cluster, prod]\n      env:\n      - {name: REGION, value: eu}\n",
            "- name: x\n  context: {cluster: c, user: u}\n");

        var exec = KubernetesClientConfiguration.FromKubeconfigYaml(yaml).Exec!;

        Assert.Equal("get-token", exec.Command);
        Assert.Equal(["--cluster", "prod"], exec.Arguments);
        Assert.Equal("eu", exec.Environment["REGION"]);
        Assert.Equal("client.authentication.k8s.io/v1beta1", exec.ApiVersion);
    }

    [Fact]
    public void InCluster_ServiceAccountDirectory_ReadsTokenFileCaAndNamespace()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("token"), "sa-token");
        File.WriteAllText(dir.Combine("ca.crt"), "CLUSTER CA");
        File.WriteAllText(dir.Combine("namespace"), "istio-system\n");

        var config = KubeconfigLoader.InCluster(dir.Path, "fd00::1", "443");

        Assert.Equal("https://[fd00::1]/", config.Server.ToString());
        Assert.Equal(dir.Combine("token"), config.TokenFile);
        Assert.Equal("CLUSTER CA", Encoding.UTF8.GetString(config.CertificateAuthorityData!.Value.Span));
        Assert.Equal("istio-system", config.Namespace);
    }

    [Fact]
    public void InCluster_NotInAPod_ThrowsWithAHint()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubeconfigLoader.InCluster(dir.Path, null, null));
        Assert.Contains("KUBERNETES_SERVICE_HOST", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverContainsCredentials()
    {
        var config = new KubernetesClientConfiguration { Server = new Uri("https://k"), AccessToken = "tok-secret", Password = "pw-secret", Username = "admin" };
        var text = config.ToString();
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains("https://k", text, StringComparison.Ordinal);
    }
}
