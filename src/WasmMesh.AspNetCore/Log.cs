using Microsoft.Extensions.Logging;

namespace WasmMesh.AspNetCore;

/// <summary>Source-generated log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Module sha256:{Hex} could not be filled on demand: {Message}")]
    public static partial void FillFailed(ILogger logger, string hex, string message);

    [LoggerMessage(2, LogLevel.Warning, "Reading cache file of module sha256:{Hex} failed while serving it ({Message}); it will be verified before it is served again")]
    public static partial void ReadFailed(ILogger logger, string hex, string message);
}
