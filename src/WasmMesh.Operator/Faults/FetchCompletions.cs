using System.Threading.Channels;
using WasmMesh.Controllers;

namespace WasmMesh.Operator;

/// <summary>
/// A controller source fed by finished fetches: the key of an AutoWasm whose fetch completed is queued again, so its
/// reconcile picks up the result (controller-runtime's channel source). Keys signalled while the controller is not
/// running are delivered when it starts (it then queues every key anyway).
/// </summary>
internal sealed class FetchCompletions : IControllerSource
{
    private readonly Channel<ObjectKey> _keys = Channel.CreateUnbounded<ObjectKey>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues <paramref name="key"/> for the controller.</summary>
    /// <param name="key">The AutoWasm's key.</param>
    public void Signal(ObjectKey key) => _keys.Writer.TryWrite(key);

    /// <inheritdoc />
    public async Task RunAsync(IController controller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        try
        {
            await foreach (var key in _keys.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                controller.Enqueue(key);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
