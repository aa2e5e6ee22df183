using Spectre.Console;
using WasmMesh.Oci;

namespace Wasmc.Commands;

/// <summary>A Spectre.Console progress bar on stderr, shown only on a terminal and for transfers over 1 MB.</summary>
internal static class TransferProgressView
{
    public const long Threshold = 1024 * 1024;

    public static async Task<T> RunAsync<T>(CliConsole console, string description, long? size, Func<IProgress<TransferProgress>?, Task<T>> transfer)
    {
        if (!console.IsInteractive || size is null || size <= Threshold)
        {
            return await transfer(null);
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        T result = default!;
        await ansi.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: size.Value);
                result = await transfer(new Reporter(task));
                task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class Reporter(ProgressTask task) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            if (value.TotalBytes is { } total && total > 0)
            {
                task.MaxValue = total;
            }

            task.Value = value.BytesTransferred;
        }
    }
}
