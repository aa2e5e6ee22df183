using Microsoft.Extensions.Hosting;

namespace WasmMesh.Operator;

/// <summary>Starts the AutoWasm informer on every replica (leader or not) and stops it at shutdown.</summary>
internal sealed class AutoWasmInformerService(AutoWasmStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.Informer.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await store.DisposeAsync().ConfigureAwait(false);
}
