using System.CommandLine;

namespace Wasmc.Commands;

/// <summary>The registry commands: push, pull, login, logout, inspect.</summary>
internal static class RegistryCommands
{
    public static IEnumerable<Command> Create(CliConsole console)
    {
        _ = console;
        return [];
    }
}
