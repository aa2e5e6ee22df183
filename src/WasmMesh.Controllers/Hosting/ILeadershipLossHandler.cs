namespace WasmMesh.Controllers;

/// <summary>
/// Called by the controller manager after this replica lost leadership and its controllers stopped. The
/// default handler logs, sets <see cref="Environment.ExitCode"/> to 1 and stops the application, so the
/// orchestrator restarts the process (a fresh process re-joins the election with empty state). Replace it
/// (register your own singleton) to observe the loss in tests.
/// </summary>
public interface ILeadershipLossHandler
{
    /// <summary>Handles the loss of leadership.</summary>
    /// <param name="lockDescription">The lock that was lost, for logs.</param>
    /// <param name="identity">This replica's identity.</param>
    void OnLeadershipLost(string lockDescription, string identity);
}
