using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WasmMesh.Controllers;

/// <summary>The default <see cref="ILeadershipLossHandler"/>: exit code 1 and stop the application.</summary>
internal sealed class ExitOnLeadershipLoss(IHostApplicationLifetime lifetime, ILogger<ExitOnLeadershipLoss> logger) : ILeadershipLossHandler
{
    public void OnLeadershipLost(string lockDescription, string identity)
    {
        Log.ExitingOnLeadershipLoss(logger, lockDescription, identity);
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }
}
