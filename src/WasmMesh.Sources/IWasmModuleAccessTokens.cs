namespace WasmMesh.Sources;

/// <summary>
/// Makes the access token a module URL carries when the serving endpoint requires one (<c>/wasm/&lt;sha256&gt;/&lt;token&gt;</c>):
/// whatever writes module URLs (wasmer's outputs) asks it for the namespace that references the module.
/// </summary>
public interface IWasmModuleAccessTokens
{
    /// <summary>The token for a namespace's access to a module.</summary>
    /// <param name="namespaceName">The namespace of the resource that references the module.</param>
    /// <param name="sha256">The module digest.</param>
    /// <returns>The token (a URL-safe path segment), or <see langword="null"/> when the endpoint requires none.</returns>
    string? TokenFor(string namespaceName, Digest sha256);
}
