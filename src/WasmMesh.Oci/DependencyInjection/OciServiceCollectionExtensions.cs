using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WasmMesh.Oci;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OCI registry client.</summary>
public static class OciServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWasmRegistryClient"/> (singleton), its named <see cref="System.Net.Http.HttpClient"/>
    /// (<c>WasmMesh.Oci</c>, redirects handled by the client, TLS options from <see cref="OciClientOptions"/>),
    /// options validated at start, <see cref="TimeProvider.System"/> and an anonymous
    /// <see cref="IRegistryCredentialProvider"/> unless others are registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; may be <see langword="null"/>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddWasmMeshOci(this IServiceCollection services, Action<OciClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OciClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OciClientOptions>, OciClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRegistryCredentialProvider, AnonymousCredentialProvider>();
        services.AddHttpClient(OciHttp.ClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => OciHttp.CreateHandler(sp.GetRequiredService<IOptions<OciClientOptions>>().Value));
        services.TryAddSingleton<IWasmRegistryClient, WasmRegistryClient>();
        services.TryAddSingleton<IOciContentClient, OciContentClient>();
        services.TryAddSingleton<IModuleSignatureClient, ModuleSignatureClient>();
        services.TryAddSingleton<IOciArchiveClient, OciArchiveClient>();
        return services;
    }
}
