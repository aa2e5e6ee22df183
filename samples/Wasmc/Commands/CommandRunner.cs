using Microsoft.Extensions.Options;
using WasmMesh;
using WasmMesh.Oci;

namespace Wasmc.Commands;

/// <summary>Runs a command body and turns failures into one line on stderr and an exit code.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(CliConsole console, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (Classify(e) is { } code)
        {
            await console.Error.WriteLineAsync("wasmc: " + OneLine(e.Message));
            return code;
        }
    }

    private static int? Classify(Exception e) => e switch
    {
        OperationCanceledException => null,
        UsageException or FormatException or OptionsValidationException => ExitCodes.Usage,
        InvalidWasmModuleException or FileNotFoundException or DirectoryNotFoundException => ExitCodes.Usage,
        SizeLimitExceededException => ExitCodes.Failure,
        WasmMeshException => ExitCodes.Failure,
        IOException or UnauthorizedAccessException => ExitCodes.Failure,
        _ => null,
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    public static ImageReference ParseReference(string text)
        => ImageReference.TryParse(text, out var reference, out var error) ? reference : throw new UsageException(error);
}
