using k8s;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WasmMesh.Kubernetes;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Kubernetes client.</summary>
public static class KubernetesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KubernetesClientOptions"/> (validated at start) and, only when none is registered yet,
    /// a singleton <see cref="IKubernetes"/> built from them with KubernetesClient's
    /// <see cref="KubernetesClientConfiguration"/>. A host that already registers its own <see cref="IKubernetes"/>
    /// keeps it: every WasmMesh service then uses that client. Idempotent.
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

        services.TryAddSingleton<IKubernetes>(sp => new k8s.Kubernetes(sp.GetRequiredService<IOptions<KubernetesClientOptions>>().Value.ResolveConfiguration()));
        return services;
    }
}
