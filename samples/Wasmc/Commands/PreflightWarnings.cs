using WasmMesh;

namespace Wasmc.Commands;

/// <summary>Prints the pre-flight check's problems as warnings: Envoy would reject such a module when it loads it.</summary>
internal static class PreflightWarnings
{
    public static async Task<bool> WriteAsync(CliConsole console, string path, WasmModuleInfo info)
    {
        var result = WasmPreflight.Check(info);
        foreach (var problem in result.Problems)
        {
            await console.Error.WriteLineAsync($"wasmc: warning: {path}: {problem.Message}");
        }

        return result.Passed;
    }
}
