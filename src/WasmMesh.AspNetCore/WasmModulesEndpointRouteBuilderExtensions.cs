using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the module serving endpoint.</summary>
public static class WasmModulesEndpointRouteBuilderExtensions
{
    /// <summary>The default path prefix: modules are served at <c>/wasm/{sha256}</c>.</summary>
    public const string DefaultPrefix = "/wasm";

    /// <summary>
    /// Maps <c>GET</c> and <c>HEAD</c> <c>{prefix}/{sha256}</c>: 200 <c>application/wasm</c> with
    /// Content-Length, a strong ETag (the quoted sha256), <c>Cache-Control: public, max-age=31536000, immutable</c>
    /// and range support; 304 on a matching If-None-Match; 400 for anything but 64 lowercase hex digits;
    /// 404 for a digest neither cached nor resolvable (see <see cref="WasmMesh.Sources.IWasmDigestResolver"/>).
    /// Only verified files of the cache are ever served. Also maps <c>{prefix}/{sha256}/{token}</c>, answered only when
    /// <c>AddWasmMeshServingProtection</c> requires tokens (<see cref="WasmServingProtectionOptions"/>); protection, when
    /// on, is checked before the cache. Call <c>AddWasmMeshServing</c> first.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="prefix">The path prefix; default <c>/wasm</c>.</param>
    /// <returns>A builder to add conventions (authorization, host filters, …).</returns>
    public static IEndpointConventionBuilder MapWasmModules(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var handler = endpoints.ServiceProvider.GetService<WasmModuleEndpoint>()
            ?? throw new InvalidOperationException("MapWasmModules needs the services registered by services.AddWasmMeshServing(); call it while configuring services");
        var pattern = prefix.TrimEnd('/') + "/{" + WasmModuleEndpoint.RouteParameter + "}";
        var group = endpoints.MapGroup(string.Empty);
        group.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], handler.HandleAsync)
            .WithDisplayName("WasmMesh modules");
        group.MapMethods(pattern + "/{" + WasmModuleEndpoint.TokenParameter + "}", [HttpMethods.Get, HttpMethods.Head], handler.HandleAsync)
            .WithDisplayName("WasmMesh modules with access token");
        return group;
    }
}
