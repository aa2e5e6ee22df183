using Xunit;
namespace Wasmc.Tests.Registry;

/// <summary>Runs wasmc in-process with captured streams.</summary>
internal static class WasmcRun
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
    }

    public static async Task<Result> RunWithInputAsync(string? stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin ?? string.Empty);
        var exit = await Cli.RunAsync(args, new CliConsole(output, error, input, IsInteractive: false), TestContext.Current.CancellationToken);
        return new Result(exit, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    public static Task<Result> RunAsync(params string[] args) => RunWithInputAsync(null, args);
}
