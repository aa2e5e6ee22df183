using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WasmMesh.Controllers;

/// <summary>Configures the controller manager; returned by <c>AddWasmMeshControllers</c>.</summary>
public sealed class WasmMeshControllersBuilder
{
    internal WasmMeshControllersBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers a controller that reconciles with <typeparamref name="TReconciler"/> (registered as a singleton
    /// unless already registered; resolved in a new scope per reconcile). Add its event sources on the returned builder.
    /// </summary>
    /// <typeparam name="TReconciler">The reconciler.</typeparam>
    /// <param name="name">The controller's unique name (logs, metrics, named <see cref="ControllerOptions"/>).</param>
    /// <param name="configure">Configures the controller's options; validated at start.</param>
    /// <returns>The controller's builder.</returns>
    public ControllerBuilder AddController<TReconciler>(string name, Action<ControllerOptions>? configure = null)
        where TReconciler : class, IReconciler
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var descriptor in Services)
        {
            if (descriptor.ServiceType == typeof(ControllerRegistration)
                && descriptor.ImplementationInstance is ControllerRegistration existing
                && string.Equals(existing.Name, name, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"A controller named '{name}' is already registered; controller names must be unique.");
            }
        }

        var registration = new ControllerRegistration(name, typeof(TReconciler));
        Services.AddSingleton(registration);
        Services.TryAddSingleton<TReconciler>();
        var options = Services.AddOptions<ControllerOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        return new ControllerBuilder(name, Services, registration);
    }

    /// <summary>Adds a startup gate: controllers start, and the manager reports ready, only after it opens.</summary>
    /// <param name="name">The gate's name, for logs.</param>
    /// <param name="waitAsync">Completes when the gate opens (for example an informer's wait for sync).</param>
    /// <returns>This builder.</returns>
    public WasmMeshControllersBuilder AddStartupGate(string name, Func<IServiceProvider, CancellationToken, Task> waitAsync)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(waitAsync);
        Services.AddSingleton<IStartupGate>(sp => new DelegateStartupGate(name, cancellationToken => waitAsync(sp, cancellationToken)));
        return this;
    }

    /// <summary>Adds a startup gate that opens when the informer's cache has synced (its first list completed).</summary>
    /// <typeparam name="T">The object type.</typeparam>
    /// <param name="name">The gate's name, for logs.</param>
    /// <param name="informer">Resolves the informer (started by its owner).</param>
    /// <returns>This builder.</returns>
    public WasmMeshControllersBuilder AddInformerGate<T>(string name, Func<IServiceProvider, WasmMesh.Kubernetes.Informer<T>> informer)
        where T : class, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(informer);
        return AddStartupGate(name, (sp, cancellationToken) => informer(sp).WaitForSyncAsync(cancellationToken));
    }

    /// <summary>Adds a startup gate implemented by <typeparamref name="TGate"/> (registered as a singleton).</summary>
    /// <typeparam name="TGate">The gate.</typeparam>
    /// <returns>This builder.</returns>
    public WasmMeshControllersBuilder AddStartupGate<TGate>()
        where TGate : class, IStartupGate
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupGate, TGate>());
        return this;
    }

    /// <summary>Uses <typeparamref name="TLock"/> as the leader lock (replacing any other).</summary>
    /// <typeparam name="TLock">The lock implementation.</typeparam>
    /// <returns>This builder.</returns>
    public WasmMeshControllersBuilder UseLeaderLock<TLock>()
        where TLock : class, ILeaderLock
    {
        Services.Replace(ServiceDescriptor.Singleton<ILeaderLock, TLock>());
        return this;
    }

    /// <summary>Uses a lock created by <paramref name="factory"/> as the leader lock (replacing any other).</summary>
    /// <param name="factory">Creates the lock.</param>
    /// <returns>This builder.</returns>
    public WasmMeshControllersBuilder UseLeaderLock(Func<IServiceProvider, ILeaderLock> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>
    /// Uses a <see cref="KubernetesLeaderLock"/> (replacing any other): a <c>coordination.k8s.io/v1</c> Lease named
    /// <see cref="LeaderElectionOptions.LeaseName"/> in <see cref="LeaderElectionOptions.LeaseNamespace"/>, written
    /// with the <see cref="k8s.IKubernetes"/> registered in the container (the host's own, or the one
    /// <c>AddWasmMeshKubernetes</c> builds from a kubeconfig).
    /// </summary>
    /// <returns>This builder.</returns>
    public WasmMeshControllersBuilder UseKubernetesLeaderLock()
        => UseLeaderLock(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LeaderElectionOptions>>().Value;
            var client = sp.GetService<k8s.IKubernetes>()
                ?? throw new InvalidOperationException("UseKubernetesLeaderLock() needs a k8s.IKubernetes in the service collection: register your own, or call AddWasmMeshKubernetes().");
            return new KubernetesLeaderLock(client, options.LeaseNamespace, options.LeaseName);
        });

    /// <summary>
    /// Uses an in-memory leader lock (replacing any other): replicas in one process that share
    /// <paramref name="leaderLock"/> elect one leader; with a new lock this process always leads.
    /// </summary>
    /// <param name="leaderLock">The shared lock, or null for a new one.</param>
    /// <returns>This builder.</returns>
    public WasmMeshControllersBuilder UseInMemoryLeaderLock(InMemoryLeaderLock? leaderLock = null)
    {
        Services.Replace(ServiceDescriptor.Singleton<ILeaderLock>(leaderLock ?? new InMemoryLeaderLock()));
        return this;
    }

    /// <summary>
    /// Drains on graceful shutdown (SIGTERM, <c>StopApplication</c>): the host's <c>ApplicationStopping</c> token is
    /// cancelled at once (make readiness check it), then every service keeps running for <paramref name="drain"/> (the
    /// web server serves in-flight and new requests; the leader keeps its lease), then the services stop and the lease
    /// is released. The drain counts against the host's shutdown timeout (<c>HostOptions.ShutdownTimeout</c>, 30 s by
    /// default): keep it longer than the drain plus the time the services take to stop. Calling it again replaces the drain period.
    /// </summary>
    /// <param name="drain">How long to keep serving after shutdown began; zero stops at once.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="drain"/> is negative.</exception>
    public WasmMeshControllersBuilder UseShutdownDrain(TimeSpan drain)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(drain, TimeSpan.Zero);
        Services.Configure<ShutdownDrain.Settings>(o => o.Drain = drain);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ShutdownDrain>());
        return this;
    }

    /// <summary>Configures leader election (in addition to the delegate given to <c>AddWasmMeshControllers</c>).</summary>
    /// <param name="configure">Configures the options.</param>
    /// <returns>This builder.</returns>
    public WasmMeshControllersBuilder ConfigureLeaderElection(Action<LeaderElectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    internal static void ValidateControllerOptions(IServiceCollection services)
        => services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControllerOptions>, ControllerOptionsValidator>());
}
