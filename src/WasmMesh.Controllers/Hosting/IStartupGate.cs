namespace WasmMesh.Controllers;

/// <summary>
/// Something that must be ready before controllers start and before the process reports ready, typically
/// an informer's initial list (cache sync). The manager waits for every gate; a gate that throws is logged
/// and waited for again after a few seconds.
/// </summary>
public interface IStartupGate
{
    /// <summary>The gate's name, for logs.</summary>
    string Name { get; }

    /// <summary>Completes when the gate is open (for example when the informer cache has synced).</summary>
    /// <param name="cancellationToken">Cancelled on shutdown.</param>
    /// <returns>A task that completes when the gate opens.</returns>
    Task WaitAsync(CancellationToken cancellationToken);
}
