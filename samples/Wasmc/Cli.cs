using System.CommandLine;
using Wasmc.Commands;

namespace Wasmc;

/// <summary>Builds wasmc's command tree and runs it.</summary>
internal static class Cli
{
    public static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand("wasmc: store proxy-wasm filters in OCI registries and render the Istio EnvoyFilter that loads them.");
        root.Subcommands.Add(RenderCommand.Create(console));
        // Registry commands (push, pull, login, logout, inspect) are registered here.
        foreach (var command in RegistryCommands.Create(console))
        {
            root.Subcommands.Add(command);
        }

        foreach (var command in SignatureCommands.Create(console))
        {
            root.Subcommands.Add(command);
        }

        foreach (var command in ArchiveCommands.Create(console))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var root = CreateRootCommand(console);
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await console.Error.WriteLineAsync($"wasmc: {error.Message}");
            }

            await console.Error.WriteLineAsync("Run 'wasmc --help' for usage.");
            return ExitCodes.Usage;
        }

        var config = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await result.InvokeAsync(config, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("wasmc: cancelled");
            return 130;
        }
    }
}
