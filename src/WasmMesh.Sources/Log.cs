using Microsoft.Extensions.Logging;

namespace WasmMesh.Sources;

/// <summary>Source-generated log messages. Never pass credentials or URL query strings.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Module cache at {Directory}: {Count} modules, {Bytes} bytes (each verified on first use)")]
    public static partial void CacheOpened(ILogger logger, string directory, int count, long bytes);

    [LoggerMessage(2, LogLevel.Warning, "Cached module sha256:{Hex} is corrupt ({Reason}); deleted, it will be fetched again")]
    public static partial void CorruptModule(ILogger logger, string hex, string reason);

    [LoggerMessage(3, LogLevel.Information, "Evicted unreferenced module sha256:{Hex} ({Bytes} bytes) over the cache budget")]
    public static partial void Evicted(ILogger logger, string hex, long bytes);

    [LoggerMessage(4, LogLevel.Warning, "Module cache holds {Bytes} bytes, over its budget of {Budget} bytes, but every remaining module is in use")]
    public static partial void OverBudget(ILogger logger, long bytes, long budget);

    [LoggerMessage(5, LogLevel.Debug, "Stored module sha256:{Hex} ({Bytes} bytes) from {Subject}")]
    public static partial void Stored(ILogger logger, string hex, long bytes, string subject);

    [LoggerMessage(6, LogLevel.Information, "Fetched module sha256:{Hex} ({Bytes} bytes) from {Kind} source {Source} in {Seconds:0.000}s")]
    public static partial void Fetched(ILogger logger, string hex, long bytes, string kind, string source, double seconds);

    [LoggerMessage(7, LogLevel.Warning, "Fetching a module from {Kind} source {Source} failed after {Seconds:0.000}s: {Message}")]
    public static partial void FetchFailed(ILogger logger, string kind, string source, double seconds, string message);

    [LoggerMessage(8, LogLevel.Warning, "Could not delete cache file {Path}: {Message}")]
    public static partial void DeleteFailed(ILogger logger, string path, string message);

    [LoggerMessage(9, LogLevel.Information, "Filling module sha256:{Hex} on demand from {Source}")]
    public static partial void FillingOnDemand(ILogger logger, string hex, string source);

    [LoggerMessage(10, LogLevel.Information, "Verified {Count} cached modules at startup ({Corrupt} corrupt, deleted)")]
    public static partial void StartupVerification(ILogger logger, int count, int corrupt);

    [LoggerMessage(11, LogLevel.Debug, "Scrubbed {Count} cached modules ({Corrupt} corrupt, deleted)")]
    public static partial void Scrubbed(ILogger logger, int count, int corrupt);
}
