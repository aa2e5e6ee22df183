using WasmMesh.Istio;
using WasmMesh.Model;
using WasmMesh.Testing;

namespace Wasmer;

/// <summary>--dev: an in-process Kubernetes API test server with the AutoWasm, EnvoyFilter and WasmPlugin CRDs installed.</summary>
internal static class DevEnvironment
{
    public static async Task<(KubernetesTestServer Server, string Kubeconfig)> StartAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var server = new KubernetesTestServer();
        await server.StartAsync(cancellationToken);
        await server.ApplyYamlAsync(AutoWasmCrd.Yaml, cancellationToken);
        await server.ApplyYamlAsync(IstioCrds.EnvoyFilterYaml, cancellationToken);
        await server.ApplyYamlAsync(IstioCrds.WasmPluginYaml, cancellationToken);
        await server.ApplyYamlAsync(IstioCrds.TrafficExtensionYaml, cancellationToken);
        await server.ApplyYamlAsync("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n", cancellationToken);
        var kubeconfig = Path.GetFullPath(Path.Combine(directory, "kubeconfig"));
        await server.WriteKubeconfigAsync(kubeconfig, cancellationToken);
        return (server, kubeconfig);
    }
}
