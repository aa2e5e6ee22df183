using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WasmMesh.Sources;

namespace WasmMesh.AspNetCore;

/// <summary>
/// Decides whether a request may be answered for a digest, before the cache is consulted or filled: with protection
/// off every digest may be (and tokenised paths are unknown); with <see cref="WasmServingProtectionOptions.ServeReferencedOnly"/>
/// only referenced digests; with <see cref="WasmServingProtectionOptions.RequireToken"/> only with a valid token of a
/// referencing namespace. A refusal looks exactly like an unknown digest (404), so it tells nothing about the cache.
/// </summary>
internal sealed class ModuleAccessGate
{
    private readonly WasmServingProtectionOptions _options;
    private readonly IWasmModuleReferences? _references;
    private readonly ModuleAccessTokens? _tokens;

    public ModuleAccessGate(IOptions<WasmServingProtectionOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options.Value;
        if (_options.ServeReferencedOnly || _options.RequireToken)
        {
            _references = services.GetService<IWasmModuleReferences>()
                ?? throw new InvalidOperationException($"serving only referenced modules needs an {nameof(IWasmModuleReferences)} service (wasmer registers one for AutoWasms); register one or turn protection off");
        }

        if (_options.RequireToken)
        {
            _tokens = services.GetRequiredService<ModuleAccessTokens>();
        }
    }

    /// <summary>Whether requests carry a token in the path.</summary>
    public bool RequiresToken => _options.RequireToken;

    /// <summary>Whether a module may be served for this request.</summary>
    /// <param name="sha256">The requested digest.</param>
    /// <param name="token">The token path segment, or <see langword="null"/> for <c>/wasm/{sha256}</c>.</param>
    /// <returns>Whether to go on; otherwise answer 404.</returns>
    public bool Allows(Digest sha256, string? token)
    {
        if (_options.RequireToken != (token is not null))
        {
            return false;
        }

        if (_references is null)
        {
            return true;
        }

        var namespaces = _references.NamespacesReferencing(sha256);
        if (namespaces.Count == 0)
        {
            return false;
        }

        return _tokens is null || _tokens.IsValid(token, namespaces, sha256);
    }
}
