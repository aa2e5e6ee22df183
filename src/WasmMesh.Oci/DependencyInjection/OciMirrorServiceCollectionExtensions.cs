using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmMesh.Oci;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Applies registry mirrors to the OCI client.</summary>
public static class OciMirrorServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="IWasmRegistryClient"/> follow <paramref name="mirrors"/> (see <see cref="MirrorConfiguration"/>) and
    /// lets the hosts it marks insecure use plain HTTP or skip TLS verification. Call after <c>AddWasmMeshOci()</c>;
    /// calling again replaces the configuration.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="mirrors">The mirror configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddWasmMeshOciMirrors(this IServiceCollection services, MirrorConfiguration mirrors)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(mirrors);
        services.Replace(ServiceDescriptor.Singleton(mirrors));
        services.TryAddSingleton<WasmRegistryClient>();
        services.Replace(ServiceDescriptor.Singleton<IWasmRegistryClient>(sp => new MirroringRegistryClient(
            sp.GetRequiredService<WasmRegistryClient>(),
            sp.GetRequiredService<MirrorConfiguration>(),
            sp.GetRequiredService<ILogger<MirroringRegistryClient>>())));
        services.AddOptions<OciClientOptions>().Configure<MirrorConfiguration>((options, configuration) =>
        {
            foreach (var host in configuration.InsecureHosts.Where(h => !options.InsecureRegistries.Contains(h)))
            {
                options.InsecureRegistries.Add(host);
            }
        });
        return services;
    }
}
