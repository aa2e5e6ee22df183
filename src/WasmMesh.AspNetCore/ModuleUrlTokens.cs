using Microsoft.Extensions.Options;
using WasmMesh.Sources;

namespace WasmMesh.AspNetCore;

/// <summary>Gives whatever writes module URLs the token the endpoint requires, or none when tokens are off.</summary>
internal sealed class ModuleUrlTokens(ModuleAccessTokens tokens, IOptions<WasmServingProtectionOptions> options) : IWasmModuleAccessTokens
{
    public string? TokenFor(string namespaceName, Digest sha256)
        => options.Value.RequireToken ? tokens.CreateToken(namespaceName, sha256) : null;
}
