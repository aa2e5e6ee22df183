using k8s;
using k8s.Autorest;
using WasmMesh.Kubernetes;

namespace WasmMesh.Operator;

/// <summary>Reads Secrets through the Kubernetes API; a missing Secret is <see langword="null"/>, any other failure is thrown.</summary>
internal sealed class KubernetesSecretDataReader(IKubernetes kubernetes) : ISecretDataReader
{
    public async Task<IReadOnlyDictionary<string, byte[]>?> ReadAsync(string namespaceName, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var secret = await kubernetes.CoreV1.ReadNamespacedSecretAsync(name, namespaceName, cancellationToken: cancellationToken).ConfigureAwait(false);
            return secret.Data is null ? new Dictionary<string, byte[]>() : new Dictionary<string, byte[]>(secret.Data, StringComparer.Ordinal);
        }
        catch (HttpOperationException ex)
        {
            var error = KubernetesApiException.From(ex, "GET", $"/api/v1/namespaces/{namespaceName}/secrets/{name}");
            return error.IsNotFound ? null : throw error;
        }
    }
}
