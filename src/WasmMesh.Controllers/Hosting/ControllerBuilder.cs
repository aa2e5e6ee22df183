using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WasmMesh.Controllers;

/// <summary>Configures one controller; returned by <see cref="WasmMeshControllersBuilder.AddController{TReconciler}"/>.</summary>
public sealed class ControllerBuilder
{
    private readonly ControllerRegistration _registration;

    internal ControllerBuilder(string name, IServiceCollection services, ControllerRegistration registration)
    {
        Name = name;
        Services = services;
        _registration = registration;
    }

    /// <summary>The controller's name.</summary>
    public string Name { get; }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Feeds the controller from <typeparamref name="TSource"/> (registered as a singleton unless already registered).</summary>
    /// <typeparam name="TSource">The source.</typeparam>
    /// <returns>This builder.</returns>
    public ControllerBuilder AddSource<TSource>()
        where TSource : class, IControllerSource
    {
        Services.TryAddSingleton<TSource>();
        _registration.Sources.Add(sp => sp.GetRequiredService<TSource>());
        return this;
    }

    /// <summary>Feeds the controller from the source created by <paramref name="factory"/>.</summary>
    /// <param name="factory">Creates the source.</param>
    /// <returns>This builder.</returns>
    public ControllerBuilder AddSource(Func<IServiceProvider, IControllerSource> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _registration.Sources.Add(factory);
        return this;
    }

    /// <summary>
    /// Feeds the controller from an informer (see <see cref="InformerSource{T}"/>): all cached objects on every start,
    /// then every change.
    /// </summary>
    /// <typeparam name="T">The object type.</typeparam>
    /// <param name="informer">Resolves the informer (started by its owner).</param>
    /// <param name="map">Maps an event to the keys to enqueue; null enqueues the object's own key.</param>
    /// <returns>This builder.</returns>
    public ControllerBuilder AddInformerSource<T>(Func<IServiceProvider, WasmMesh.Kubernetes.Informer<T>> informer, Func<WasmMesh.Kubernetes.InformerEvent<T>, IEnumerable<ObjectKey>>? map = null)
        where T : class, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(informer);
        _registration.Sources.Add(sp => new InformerSource<T>(informer(sp), map));
        return this;
    }

    /// <summary>
    /// Feeds the controller from a delegate that runs while the controller runs: it should enqueue every known key,
    /// then keys of changed objects until cancelled.
    /// </summary>
    /// <param name="runAsync">Feeds keys until cancelled.</param>
    /// <returns>This builder.</returns>
    public ControllerBuilder AddSource(Func<IServiceProvider, IController, CancellationToken, Task> runAsync)
    {
        ArgumentNullException.ThrowIfNull(runAsync);
        _registration.Sources.Add(sp => new DelegateControllerSource((controller, cancellationToken) => runAsync(sp, controller, cancellationToken)));
        return this;
    }
}
