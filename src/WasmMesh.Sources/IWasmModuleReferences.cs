namespace WasmMesh.Sources;

/// <summary>
/// Says which namespaces reference a module digest (through an AutoWasm's status, for wasmer). A protected serving
/// endpoint serves only referenced digests and checks per-namespace access tokens against these namespaces.
/// </summary>
public interface IWasmModuleReferences
{
    /// <summary>The namespaces whose resources reference a module.</summary>
    /// <param name="sha256">The sha256 of the module bytes.</param>
    /// <returns>The namespaces, each once; empty when nothing references the digest.</returns>
    IReadOnlyCollection<string> NamespacesReferencing(Digest sha256);
}
