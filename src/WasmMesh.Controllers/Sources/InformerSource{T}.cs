using WasmMesh.Kubernetes;

namespace WasmMesh.Controllers;

/// <summary>
/// Feeds a controller from an <see cref="Informer{T}"/>: each time the controller starts, every cached object
/// is enqueued (the informer replays them as <see cref="InformerEventType.Added"/>), then every change. By default
/// an event enqueues the object's own key; a mapping can enqueue other keys instead (for example the owner of
/// an owned object) or none (to filter events out). The informer must be started by its owner.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
public sealed class InformerSource<T> : IControllerSource
    where T : class, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>
{
    private readonly Informer<T> _informer;
    private readonly Func<InformerEvent<T>, IEnumerable<ObjectKey>> _map;

    /// <summary>Creates the source.</summary>
    /// <param name="informer">The informer (started elsewhere).</param>
    /// <param name="map">Maps an event to the keys to enqueue; null enqueues the object's own key.</param>
    public InformerSource(Informer<T> informer, Func<InformerEvent<T>, IEnumerable<ObjectKey>>? map = null)
    {
        ArgumentNullException.ThrowIfNull(informer);
        _informer = informer;
        _map = map ?? (e => [new ObjectKey(e.Namespace, e.Name)]);
    }

    /// <inheritdoc />
    public async Task RunAsync(IController controller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        await foreach (var change in _informer.WatchChangesAsync(cancellationToken))
        {
            foreach (var key in _map(change))
            {
                controller.Enqueue(key);
            }
        }
    }
}
