using Microsoft.Extensions.Logging;

namespace WasmMesh.Controllers;

/// <summary>Source-generated log messages of the controller framework (event ids 1000–1099).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Starting controller {Controller} with {Workers} workers")]
    public static partial void ControllerStarting(ILogger logger, string controller, int workers);

    [LoggerMessage(1001, LogLevel.Information, "Stopping controller {Controller}: waiting for reconciles in progress")]
    public static partial void ControllerStopping(ILogger logger, string controller);

    [LoggerMessage(1002, LogLevel.Information, "Controller {Controller} stopped")]
    public static partial void ControllerStopped(ILogger logger, string controller);

    [LoggerMessage(1003, LogLevel.Debug, "Controller {Controller} reconciled {Key}: {Result}")]
    public static partial void Reconciled(ILogger logger, string controller, ObjectKey key, ReconcileResult result);

    [LoggerMessage(1004, LogLevel.Error, "Controller {Controller} failed to reconcile {Key} (failure {Failures} in a row); retrying with backoff")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, string controller, ObjectKey key, int failures);

    [LoggerMessage(1005, LogLevel.Error, "Controller {Controller} failed to reconcile {Key} with a terminal error; not retrying until the object changes")]
    public static partial void ReconcileFailedTerminally(ILogger logger, Exception exception, string controller, ObjectKey key);

    [LoggerMessage(1006, LogLevel.Error, "Source {Source} of controller {Controller} failed; it feeds no more keys until the controller restarts")]
    public static partial void SourceFailed(ILogger logger, Exception exception, string controller, string source);

    [LoggerMessage(1008, LogLevel.Error, "Source {Source} of controller {Controller} stopped feeding keys while the controller runs; the controller reports unhealthy until it restarts")]
    public static partial void SourceEnded(ILogger logger, string controller, string source);

    [LoggerMessage(1025, LogLevel.Information, "Shutting down: not ready any more; serving for the drain period {Drain} before stopping")]
    public static partial void Draining(ILogger logger, TimeSpan drain);

    [LoggerMessage(1007, LogLevel.Debug, "Controller {Controller} stopped reconciling {Key} because it is stopping")]
    public static partial void ReconcileCanceled(ILogger logger, string controller, ObjectKey key);

    [LoggerMessage(1020, LogLevel.Information, "Waiting for startup gate {Gate}")]
    public static partial void WaitingForGate(ILogger logger, string gate);

    [LoggerMessage(1021, LogLevel.Warning, "Startup gate {Gate} failed; retrying in {Delay}")]
    public static partial void GateFailed(ILogger logger, Exception exception, string gate, TimeSpan delay);

    [LoggerMessage(1022, LogLevel.Information, "All startup gates passed; ready")]
    public static partial void Ready(ILogger logger);

    [LoggerMessage(1023, LogLevel.Information, "Leader election is disabled; starting controllers")]
    public static partial void LeaderElectionDisabled(ILogger logger);

    [LoggerMessage(1024, LogLevel.Critical, "Lost leadership of {Lock} as {Identity}; controllers stopped, exiting with code 1 so the process is restarted")]
    public static partial void ExitingOnLeadershipLoss(ILogger logger, string @lock, string identity);

    [LoggerMessage(1040, LogLevel.Information, "Trying to acquire leadership of {Lock} as {Identity}")]
    public static partial void Acquiring(ILogger logger, string @lock, string identity);

    [LoggerMessage(1041, LogLevel.Information, "Acquired leadership of {Lock} as {Identity}")]
    public static partial void Acquired(ILogger logger, string @lock, string identity);

    [LoggerMessage(1042, LogLevel.Information, "New leader of {Lock}: {Leader}")]
    public static partial void NewLeader(ILogger logger, string @lock, string leader);

    [LoggerMessage(1043, LogLevel.Warning, "Failed to acquire or renew {Lock} as {Identity}")]
    public static partial void LockCallFailed(ILogger logger, Exception exception, string @lock, string identity);

    [LoggerMessage(1044, LogLevel.Error, "Failed to renew {Lock} as {Identity} within the renew deadline {RenewDeadline}; leadership lost")]
    public static partial void LeadershipLost(ILogger logger, string @lock, string identity, TimeSpan renewDeadline);

    [LoggerMessage(1045, LogLevel.Information, "Released leadership of {Lock} as {Identity}")]
    public static partial void Released(ILogger logger, string @lock, string identity);

    [LoggerMessage(1046, LogLevel.Warning, "Failed to release {Lock} as {Identity}; another replica takes over when the lease expires")]
    public static partial void ReleaseFailed(ILogger logger, Exception? exception, string @lock, string identity);

    [LoggerMessage(1047, LogLevel.Error, "The leading callback failed while holding {Lock}")]
    public static partial void LeadingCallbackFailed(ILogger logger, Exception exception, string @lock);
}
