using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using k8s;
using WasmMesh.Controllers;
using WasmMesh.Kubernetes;
using WasmMesh.Operator;
using WasmMesh.Model;
using WasmMesh.Sources;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AutoWasm operator.</summary>
public static class OperatorServiceCollectionExtensions
{
    /// <summary>The controller's name (also used in metrics and logs).</summary>
    public const string ControllerName = "autowasm";

    /// <summary>
    /// Adds the AutoWasm informer (started on every replica), the digest resolver that lets every replica serve every
    /// module, and the AutoWasm controller (run only by the elected leader). Uses the <see cref="IKubernetes"/> in the container (the host's own, or
    /// the one <c>AddWasmMeshKubernetes</c> builds from a kubeconfig) and the module sources (<c>AddWasmMeshSources</c> or <c>AddWasmMeshServing</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the operator options.</param>
    /// <returns>The controllers builder, to choose the leader lock and leader election settings.</returns>
    public static WasmMeshControllersBuilder AddWasmMeshOperator(this IServiceCollection services, Action<AutoWasmOperatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AutoWasmOperatorOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AutoWasmOperatorOptions>, AutoWasmOperatorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var client = sp.GetService<IKubernetes>()
                ?? throw new InvalidOperationException("AddWasmMeshOperator() needs a k8s.IKubernetes in the service collection: register your own, or call AddWasmMeshKubernetes().");
            var operatorOptions = sp.GetRequiredService<IOptions<AutoWasmOperatorOptions>>().Value;
            return new Informer<AutoWasm>(
                client.Resource(KubernetesResourceType.Of<AutoWasm>(), ModelJsonContext.Default.AutoWasm),
                new InformerOptions { Namespace = string.IsNullOrEmpty(operatorOptions.WatchNamespace) ? null : operatorOptions.WatchNamespace },
                sp.GetService<ILogger<Informer<AutoWasm>>>(),
                sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp => new AutoWasmStore(sp.GetRequiredService<Informer<AutoWasm>>()));
        services.AddHostedService<AutoWasmInformerService>();
        services.TryAddSingleton<WasmSourceRequestFactory>();
        services.TryAddSingleton<IWasmModuleReferences>(sp => sp.GetRequiredService<AutoWasmStore>());
        services.TryAddSingleton<ISecretDataReader>(sp => new KubernetesSecretDataReader(sp.GetRequiredService<IKubernetes>()));
        services.TryAddSingleton<AutoWasmSignatureVerifier>();
        services.RemoveAll<IWasmDigestResolver>();
        services.AddSingleton<IWasmDigestResolver, AutoWasmDigestResolver>();

        var builder = services.AddWasmMeshControllers();
        builder.AddInformerGate("autowasm-informer", sp => sp.GetRequiredService<Informer<AutoWasm>>());
        builder.AddController<AutoWasmReconciler>(ControllerName)
            .AddInformerSource(sp => sp.GetRequiredService<Informer<AutoWasm>>());
        // The worker count follows the operator options, wherever they were set (code, configuration).
        services.AddOptions<ControllerOptions>(ControllerName)
            .Configure<IOptions<AutoWasmOperatorOptions>>((controller, operatorOptions) => controller.MaxConcurrentReconciles = operatorOptions.Value.Workers);
        return builder;
    }
}
