using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using k8s;
using WasmMesh.Controllers;
using WasmMesh.Kubernetes;
using WasmMesh.Operator;
using WasmMesh.Operator.Outputs;
using WasmMesh.Operator.Watches;
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
                client.Resource(KubernetesResourceType.Of<AutoWasm>(), ModelClusterJson.AutoWasm),
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

        services.TryAddSingleton<OwnWrites>();
        services.TryAddSingleton(sp => new OperatorWatches(
            sp.GetRequiredService<IKubernetes>(),
            sp.GetRequiredService<IOptions<AutoWasmOperatorOptions>>().Value.WatchNamespace,
            sp.GetService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));

        var builder = services.AddWasmMeshControllers();
        builder.AddInformerGate("autowasm-informer", sp => sp.GetRequiredService<Informer<AutoWasm>>());
        var controller = builder.AddController<AutoWasmReconciler>(ControllerName)
            // A finished fetch queues its AutoWasm again (fetches run off the workers).
            .AddSource(sp => sp.GetRequiredService<AutoWasmReconciler>().FetchCompletions)
            // An AutoWasm that does not decode is reported on the object (Failed with the field path, a Warning Event).
            .AddSource(sp => new UndecodableAutoWasmSource(sp.GetRequiredService<Informer<AutoWasm>>()))
            // Secrets an AutoWasm names: creating or changing one reconciles those AutoWasms at once (Watches).
            .AddSource(sp => new InformerSource<SecretMetadata>(sp.GetRequiredService<OperatorWatches>().Secrets, e => OperatorWatches.Users(e, sp.GetRequiredService<AutoWasmStore>())))
            // What an AutoWasm writes and reads is watched from the first time it is needed; this source queues no keys.
            .AddSource(sp =>
            {
                var watches = sp.GetRequiredService<OperatorWatches>();
                var fallback = sp.GetRequiredService<IOptions<AutoWasmOperatorOptions>>().Value.DefaultOutput;
                return new InformerSource<AutoWasm>(sp.GetRequiredService<Informer<AutoWasm>>(), e =>
                {
                    watches.WatchFor(e.Object, fallback);
                    return [];
                });
            });
        foreach (var kind in IstioOutputWriter.Types.Keys)
        {
            // A deleted or edited output object is repaired at once (Owns: an event queues the owner AutoWasm).
            // The echo of the controller's own write queues nothing (OwnWrites).
            controller.AddSource(sp => new InformerSource<OwnedOutput>(sp.GetRequiredService<OperatorWatches>().Outputs(kind), e => OperatorWatches.Owner(e, sp.GetRequiredService<OwnWrites>(), kind)));
        }

        controller
            .AddInformerSource(
                sp => sp.GetRequiredService<Informer<AutoWasm>>(),
                // Our own status writes come back as updates: only a change the reconcile depends on queues the key.
                e => RelevantChange.Requeues(
                    e.Type,
                    e.OldObject is { Metadata: var old } ? new RelevantMetadata(old.Uid, old.Generation, old.DeletionTimestamp is not null, old.Labels, old.Annotations, old.Finalizers) : null,
                    new RelevantMetadata(e.Object.Metadata.Uid, e.Object.Metadata.Generation, e.Object.Metadata.DeletionTimestamp is not null, e.Object.Metadata.Labels, e.Object.Metadata.Annotations, e.Object.Metadata.Finalizers))
                    ? [new ObjectKey(e.Namespace, e.Name)]
                    : []);
        // The worker count follows the operator options, wherever they were set (code, configuration).
        services.AddOptions<ControllerOptions>(ControllerName)
            .Configure<IOptions<AutoWasmOperatorOptions>>((controller, operatorOptions) => controller.MaxConcurrentReconciles = operatorOptions.Value.Workers);
        return builder;
    }
}
