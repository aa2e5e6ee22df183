using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.Controllers;

/// <summary>
/// Graceful shutdown (SIGTERM): the host's <c>ApplicationStopping</c> token is cancelled at once (readiness checks it and
/// turns 503, so load balancers stop sending), then this service keeps every other service running (the web server
/// serves in-flight and new requests, the leader keeps its lease) for the drain period; after it the host stops its
/// services, the controller manager releases the lease, and the process exits.
/// </summary>
internal sealed class ShutdownDrain(IOptions<ShutdownDrain.Settings> settings, TimeProvider timeProvider, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    public TimeSpan Drain => settings.Value.Drain;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (Drain <= TimeSpan.Zero)
        {
            return;
        }

        Log.Draining(logger, Drain);
        try
        {
            await Task.Delay(Drain, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ended the drain early: stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The drain period set by <c>UseShutdownDrain</c>.</summary>
    internal sealed class Settings
    {
        public TimeSpan Drain { get; set; }
    }
}
