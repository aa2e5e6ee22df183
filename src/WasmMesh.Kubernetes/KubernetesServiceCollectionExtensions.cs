using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmMesh.Kubernetes;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the WasmMesh Kubernetes client.</summary>
public static class KubernetesServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client the Kubernetes client uses.</summary>
    public const string HttpClientName = "WasmMesh.Kubernetes";

    /// <summary>
    /// Registers <see cref="KubernetesClientOptions"/> (validated at start), the resolved
    /// <see cref="KubernetesClientConfiguration"/>, a named HTTP client with the TLS/credential handler, and a
    /// singleton <see cref="KubernetesClient"/> as <see cref="IKubernetesClient"/>. Existing registrations are kept.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options (kubeconfig path, context, in-cluster, explicit configuration).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddWasmMeshKubernetes(this IServiceCollection services, Action<KubernetesClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<KubernetesClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "KubernetesClientOptions.RequestTimeout must be positive.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.UserAgent), "KubernetesClientOptions.UserAgent must not be empty.")
            .Validate(o => o.Configuration is not null || o.InCluster != true || o.KubeconfigPath is null, "KubernetesClientOptions: set either InCluster or KubeconfigPath, not both.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<KubernetesClientOptions>>().Value.ResolveConfiguration());
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => KubernetesClient.CreateHttpMessageHandler(
                sp.GetRequiredService<KubernetesClientConfiguration>(),
                sp.GetRequiredService<TimeProvider>()))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp => new KubernetesClient(
            sp.GetRequiredService<KubernetesClientConfiguration>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<KubernetesClientOptions>>().Value,
            sp.GetService<ILogger<KubernetesClient>>()));
        services.TryAddSingleton<IKubernetesClient>(sp => sp.GetRequiredService<KubernetesClient>());
        return services;
    }
}
