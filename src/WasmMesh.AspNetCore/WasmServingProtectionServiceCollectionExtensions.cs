using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WasmMesh.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the opt-in protection of the <c>/wasm/</c> endpoint.</summary>
public static class WasmServingProtectionServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="WasmServingProtectionOptions"/> (validated at start), the <see cref="ModuleAccessTokens"/> service and
    /// the key file reloader. Protection applies to <c>MapWasmModules</c> when the options turn it on; the host must
    /// register a <see cref="WasmMesh.Sources.IWasmModuleReferences"/>. Registers <see cref="WasmMesh.Sources.IWasmModuleAccessTokens"/>,
    /// which gives writers of module URLs the token to put in them. Calling it again only adds configuration.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> keeps the defaults (protection off).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddWasmMeshServingProtection(this IServiceCollection services, Action<WasmServingProtectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WasmServingProtectionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WasmServingProtectionOptions>, WasmServingProtectionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ModuleAccessTokens(sp.GetRequiredService<IOptions<WasmServingProtectionOptions>>().Value.PreviousKeyValidity, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ModuleAccessGate>();
        services.TryAddSingleton<WasmMesh.Sources.IWasmModuleAccessTokens, ModuleUrlTokens>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, TokenKeyFileReloader>());
        return services;
    }
}
