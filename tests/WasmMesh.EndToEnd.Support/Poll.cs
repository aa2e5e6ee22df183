using System.Diagnostics;

namespace WasmMesh.EndToEnd.Support;

/// <summary>Polls a condition with a bounded timeout (end-to-end tests observe other processes; there is no event to await).</summary>
internal static class Poll
{
    /// <summary>The default bound for a condition that the system should reach promptly.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls until <paramref name="probe"/> returns a non-null value; throws a TimeoutException describing what was awaited.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null)
        where T : class
    {
        var limit = timeout ?? DefaultTimeout;
        var watch = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (value is not null)
            {
                return value;
            }

            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"timed out after {limit.TotalSeconds:0.#} s waiting for {what}{(diagnostics is null ? string.Empty : "\n" + diagnostics())}");
            }

            await Task.Delay(delay, TestContext.Current.CancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 250));
        }
    }

    /// <summary>Polls until <paramref name="condition"/> is true.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null)
        => UntilAsync<object>(async () => await condition() ? new object() : null, what, timeout, diagnostics);
}
