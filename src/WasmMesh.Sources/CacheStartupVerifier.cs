using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.Sources;

/// <summary>Hashes every cached module in the background at start when <see cref="WasmCacheOptions.VerifyOnStartup"/> is on.</summary>
internal sealed class CacheStartupVerifier(WasmModuleCache cache, IOptions<WasmCacheOptions> options, ILogger<CacheStartupVerifier> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.VerifyOnStartup)
        {
            return;
        }

        var (verified, corrupt) = await cache.VerifyAllAsync(stoppingToken).ConfigureAwait(false);
        Log.StartupVerification(logger, verified + corrupt, corrupt);
    }
}
