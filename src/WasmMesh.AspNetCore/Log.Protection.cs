using Microsoft.Extensions.Logging;

namespace WasmMesh.AspNetCore;

/// <summary>Source-generated log messages of the protected endpoint.</summary>
internal static partial class Log
{
    [LoggerMessage(20, LogLevel.Information, "Token key in {File} changed: new tokens use it, tokens of the previous key stay valid for {Window}")]
    public static partial void TokenKeyRotated(ILogger logger, string file, TimeSpan window);

    [LoggerMessage(21, LogLevel.Warning, "Token key in {File} could not be read again ({Message}); the current key stays in use")]
    public static partial void TokenKeyReloadFailed(ILogger logger, string file, string message);
}
