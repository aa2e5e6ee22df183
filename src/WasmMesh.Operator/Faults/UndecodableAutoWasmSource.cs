using WasmMesh.Controllers;
using WasmMesh.Kubernetes;
using WasmMesh.Model;

namespace WasmMesh.Operator;

/// <summary>
/// Queues the key of every AutoWasm version that does not decode (a wrong type, a value the model refuses), so the
/// reconciler reports it on the object itself: <c>Failed</c> with the field path and a Warning Event.
/// </summary>
internal sealed class UndecodableAutoWasmSource(Informer<AutoWasm> informer) : IControllerSource
{
    public async Task RunAsync(IController controller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        await foreach (var bad in informer.WatchUndecodableAsync(cancellationToken).ConfigureAwait(false))
        {
            controller.Enqueue(new ObjectKey(bad.Metadata.NamespaceProperty ?? string.Empty, bad.Metadata.Name ?? string.Empty));
        }
    }
}
