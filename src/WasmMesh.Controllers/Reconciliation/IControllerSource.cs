namespace WasmMesh.Controllers;

/// <summary>
/// Feeds object keys to a controller while it runs, typically from an informer: on start it enqueues
/// the key of every object in the cache (a newly elected leader must look at everything), then enqueues
/// the key of every added, updated or deleted object until cancelled.
/// </summary>
public interface IControllerSource
{
    /// <summary>Feeds keys to <paramref name="controller"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="controller">The controller to feed.</param>
    /// <param name="cancellationToken">Cancelled when the controller stops.</param>
    /// <returns>A task that completes when the source stops.</returns>
    Task RunAsync(IController controller, CancellationToken cancellationToken);
}
