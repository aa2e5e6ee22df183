using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.Sources;

/// <summary>
/// Hashes cached modules in the background: every not-yet-verified file at start when
/// <see cref="WasmCacheOptions.VerifyOnStartup"/> is on, then every file each <see cref="WasmCacheOptions.ScrubInterval"/>.
/// A corrupt file is deleted, counted and logged by the cache.
/// </summary>
internal sealed class CacheScrubber(WasmModuleCache cache, IOptions<WasmCacheOptions> options, ILogger<CacheScrubber> logger, TimeProvider? timeProvider = null) : BackgroundService
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.VerifyOnStartup)
        {
            var (verified, corrupt) = await cache.VerifyAllAsync(all: false, stoppingToken).ConfigureAwait(false);
            Log.StartupVerification(logger, verified + corrupt, corrupt);
        }

        var interval = settings.ScrubInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, _time, stoppingToken).ConfigureAwait(false);
            var (verified, corrupt) = await cache.VerifyAllAsync(all: true, stoppingToken).ConfigureAwait(false);
            Log.Scrubbed(logger, verified + corrupt, corrupt);
        }
    }
}
