namespace Wasmc;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var console = new CliConsole(Console.Out, Console.Error, Console.In, !Console.IsOutputRedirected);
        return await Cli.RunAsync(args, console, cancellation.Token);
    }
}
