using Microsoft.Extensions.Logging;

namespace WasmMesh.Operator;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "AutoWasm {Key} synced: sha256 {Sha256}, EnvoyFilter {Action}")]
    public static partial void Synced(ILogger logger, string key, string sha256, string action);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "AutoWasm {Key} is invalid: {Problems}")]
    public static partial void Invalid(ILogger logger, string key, string problems);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "AutoWasm {Key}: the module could not be made available ({Reason}): {Message}; retrying with backoff, the EnvoyFilter is left as it is")]
    public static partial void FetchFailed(ILogger logger, string key, string reason, string message);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "AutoWasm {Namespace}/{Name} is gone; deleted its EnvoyFilter")]
    public static partial void Deleted(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Deleted {Kind} {Namespace}/{Name}: the AutoWasm is gone or now writes {Output}")]
    public static partial void DeletedOutput(ILogger logger, string kind, string @namespace, string name, string output);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Could not write an Event for {Namespace}/{Name}: {Message}")]
    public static partial void EventFailed(ILogger logger, string @namespace, string name, string message);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "AutoWasm {Key}: the reconcile failed ({Reason}): {Message}")]
    public static partial void ReconcileFailed(ILogger logger, string key, string reason, string message);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Information, Message = "AutoWasm {Key}: a write raced with a change of the object; reconciling the latest version")]
    public static partial void ReconcileConflict(ILogger logger, WasmMesh.Controllers.ObjectKey key, Exception conflict);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Information, Message = "AutoWasm {Key}: the status was not written, the object changed since (its new version is reconciled on its own)")]
    public static partial void StatusSuperseded(ILogger logger, string key);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Cache retention: {Kept} modules in use, {Evicted} evicted")]
    public static partial void Retention(ILogger logger, int kept, int evicted);
}
