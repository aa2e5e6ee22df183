using System.Text.Json;
using k8s;
using System.Text.RegularExpressions;
using WasmMesh.Istio;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Testing;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Support;

/// <summary>
/// A Kubernetes API test server (in this process) with the AutoWasm, EnvoyFilter and WasmPlugin CRDs, its kubeconfig,
/// and a Kubernetes client and kubectl pointed at it. The base of <see cref="SharedMesh"/> and of tests that need a
/// cluster of their own.
/// </summary>
internal partial class MeshEnvironment : IAsyncDisposable
{
    protected MeshEnvironment(TempDirectory directory, KubernetesTestServer api, string kubeconfig, string kubectl)
    {
        Directory = directory;
        Api = api;
        Kubeconfig = kubeconfig;
        Client = new k8s.Kubernetes(api.ClientConfiguration);
        Kubectl = new Kubectl(kubectl, kubeconfig);
        AutoWasms = Client.Resource(KubernetesResourceType.Of<AutoWasm>(), ModelClusterJson.AutoWasm);
        EnvoyFilters = Client.Resource(KubernetesResourceType.Of<EnvoyFilter>(), IstioJsonContext.Default.EnvoyFilter);
    }

    public TempDirectory Directory { get; }

    public KubernetesTestServer Api { get; }

    public string Kubeconfig { get; }

    public k8s.Kubernetes Client { get; }

    public Kubectl Kubectl { get; }

    public IKubernetesResourceClient<AutoWasm> AutoWasms { get; }

    public IKubernetesResourceClient<EnvoyFilter> EnvoyFilters { get; }

    /// <summary>Starts an API server with the CRDs; skips the calling test when kubectl is absent.</summary>
    public static async Task<MeshEnvironment> StartAsync(CancellationToken cancellationToken = default)
    {
        var (directory, api, kubeconfig, kubectl) = await StartApiAsync(cancellationToken);
        return new MeshEnvironment(directory, api, kubeconfig, kubectl);
    }

    /// <summary>The sha256 an EnvoyFilter's remote code source names (null when there is none or no EnvoyFilter).</summary>
    public static string? Sha256Of(EnvoyFilter? filter)
    {
        if (filter?.Spec is null)
        {
            return null;
        }

        var json = JsonSerializer.Serialize(filter, IstioJsonContext.Default.EnvoyFilter);
        var match = Sha256Field().Match(json);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>An AutoWasm manifest in the reference shape (applyPorts [9080], rootID/vmID = name, selector app: details).</summary>
    public static string AutoWasmYaml(string ns, string name, string source, string? secret = null) => $"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          filter:
            applyPorts:
              - 9080
            rootID: {name}
            source:
              {source}
            vmID: {name}
        {(secret is null ? string.Empty : $"  secret: {secret}\n")}  selector:
            matchLabels:
              app: details

        """;

    public static string RegistrySource(string image) => $"registry: {{image: \"{image}\"}}";

    public static string ObjectSource(Uri url) => $"object: {{url: \"{url}\"}}";

    /// <summary>Creates a namespace with kubectl.</summary>
    public Task CreateNamespaceAsync(string name) => Kubectl.RunAsync("create", "namespace", name);

    /// <summary>Waits until the AutoWasm's status satisfies <paramref name="predicate"/>.</summary>
    public Task<AutoWasm> WaitForAutoWasmAsync(string ns, string name, Func<AutoWasm, bool> predicate, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null)
        => Poll.UntilAsync(
            async () =>
            {
                var resource = await AutoWasms.TryGetAsync(ns, name, TestContext.Current.CancellationToken);
                return resource is not null && predicate(resource) ? resource : null;
            },
            $"AutoWasm {ns}/{name}: {what}",
            timeout,
            () => $"last status: {Describe(AutoWasms.TryGetAsync(ns, name).GetAwaiter().GetResult())}\n{diagnostics?.Invoke()}");

    /// <summary>Waits until the AutoWasm is Synced with the given module sha256 (and that generation observed).</summary>
    public Task<AutoWasm> WaitForSyncedAsync(string ns, string name, string sha256, TimeSpan? timeout = null, Func<string>? diagnostics = null)
        => WaitForAutoWasmAsync(
            ns,
            name,
            r => r.Status?.Phase == AutoWasmPhase.Synced && r.Status.Sha256?.Hex == sha256 && r.Status.ObservedGeneration == r.Metadata.Generation,
            $"Synced with sha256 {sha256}",
            timeout,
            diagnostics);

    /// <summary>Waits until the EnvoyFilter names the given module sha256.</summary>
    public Task<EnvoyFilter> WaitForEnvoyFilterAsync(string ns, string name, string sha256, TimeSpan? timeout = null, Func<string>? diagnostics = null)
        => Poll.UntilAsync(
            async () =>
            {
                var filter = await EnvoyFilters.TryGetAsync(ns, name, TestContext.Current.CancellationToken);
                return Sha256Of(filter) == sha256 ? filter : null;
            },
            $"EnvoyFilter {ns}/{name} with sha256 {sha256}",
            timeout,
            diagnostics);

    public virtual async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        Directory.Dispose();
    }

    protected static async Task<(TempDirectory Directory, KubernetesTestServer Api, string Kubeconfig, string Kubectl)> StartApiAsync(CancellationToken cancellationToken)
    {
        var kubectl = Kubectl.Require();
        var directory = new TempDirectory("wasmmesh-e2e");
        var api = new KubernetesTestServer();
        try
        {
            await api.StartAsync(cancellationToken);
            await api.ApplyYamlAsync(AutoWasmCrd.Yaml, cancellationToken);
            await api.ApplyYamlAsync(IstioCrds.EnvoyFilterYaml, cancellationToken);
            await api.ApplyYamlAsync(IstioCrds.WasmPluginYaml, cancellationToken);
            await api.ApplyYamlAsync(IstioCrds.TrafficExtensionYaml, cancellationToken);
            await api.ApplyYamlAsync("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n", cancellationToken);
            var kubeconfig = directory.Combine("kubeconfig");
            await api.WriteKubeconfigAsync(kubeconfig, cancellationToken);
            return (directory, api, kubeconfig, kubectl);
        }
        catch
        {
            await api.DisposeAsync();
            directory.Dispose();
            throw;
        }
    }

    private static string Describe(AutoWasm? resource)
        => resource is null ? "(no AutoWasm)" : $"generation {resource.Metadata.Generation}, status {(resource.Status is null ? "null" : JsonSerializer.Serialize(resource.Status, ModelJsonContext.Default.AutoWasmStatus))}";

    [GeneratedRegex("\"sha256\":\"([0-9a-f]{64})\"")]
    private static partial Regex Sha256Field();
}
