using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>An object the API returned that could not be decoded as the client's type.</summary>
/// <param name="Metadata">Its metadata (namespace, name, resource version), as far as it could be read.</param>
/// <param name="Error">Why it could not be decoded, with the JSON path.</param>
public sealed record UndecodableObject(V1ObjectMeta Metadata, string Error)
{
    /// <summary><c>namespace/name</c> (or <c>name</c> for cluster-scoped objects).</summary>
    public string Key => string.IsNullOrEmpty(Metadata.NamespaceProperty) ? Metadata.Name ?? string.Empty : $"{Metadata.NamespaceProperty}/{Metadata.Name}";
}
