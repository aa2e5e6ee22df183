using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Support;

/// <summary>
/// wasmer (samples/Wasmer, built before this project) running as a real process on 127.0.0.1 and a free port, against
/// the given kubeconfig, with its own temporary cache directory. Killed, and its directory deleted, on dispose.
/// </summary>
internal sealed class WasmerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory? _cache;
    private readonly StringBuilder _log = new();

    private WasmerProcess(Process process, TempDirectory? cache, string cacheDirectory, int port, string name)
    {
        _process = process;
        _cache = cache;
        CacheDirectory = cacheDirectory;
        Port = port;
        Name = name;
        BaseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        Http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public string CacheDirectory { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The built wasmer.dll in this test assembly's configuration (Debug or Release).</summary>
    public static string DllPath => BuildOutput.Sample("Wasmer", "wasmer.dll");

    /// <summary>
    /// Starts wasmer and waits until /healthz answers (and /readyz, unless <paramref name="waitReady"/> is false).
    /// <paramref name="cacheDirectory"/> (kept on dispose) lets a restarted process find its predecessor's cache;
    /// <paramref name="environment"/> adds variables such as POD_NAME.
    /// </summary>
    public static async Task<WasmerProcess> StartAsync(
        string name,
        string kubeconfig,
        IEnumerable<string> extraArguments,
        bool waitReady = true,
        string? cacheDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var dll = DllPath;
        var cache = cacheDirectory is null ? new TempDirectory("wasmer-e2e-cache") : null;
        cacheDirectory ??= cache!.Path;
        var port = FreePort.Next();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);
        foreach (var argument in new[]
        {
            $"--Wasmer:Kubeconfig={kubeconfig}",
            $"--Wasmer:Port={port.ToString(CultureInfo.InvariantCulture)}",
            "--Wasmer:ServicePort=8081",
            "--Wasmer:ListenAddress=127.0.0.1",
            "--Wasmer:AllowLoopbackSources=true",
            "--Wasmer:LeaseNamespace=default",
            $"--Wasmer:CacheDirectory={cacheDirectory}",
        }.Concat(extraArguments))
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("WASMER", StringComparison.OrdinalIgnoreCase) || k is "KUBECONFIG" or "POD_NAME" or "POD_NAMESPACE").ToList())
        {
            psi.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Logging__Console__FormatterName"] = "simple";

        var process = new Process { StartInfo = psi };
        var wasmer = new WasmerProcess(process, cache, cacheDirectory, port, name);
        process.OutputDataReceived += (_, e) => wasmer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => wasmer.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await wasmer.WaitAsync("/healthz", cancellationToken);
            if (waitReady)
            {
                await wasmer.WaitAsync("/readyz", cancellationToken);
            }
        }
        catch
        {
            await wasmer.DisposeAsync();
            throw;
        }

        return wasmer;
    }

    /// <summary>Whether this replica holds the leader lease, from its /metrics.</summary>
    public async Task<bool> IsLeaderAsync(CancellationToken cancellationToken = default)
    {
        var value = await MetricAsync("wasmmesh_leader_election_leader", cancellationToken);
        return value == 1;
    }

    /// <summary>
    /// The sum of a metric's samples (every label set) from /metrics; null when absent. The exposition prefixes
    /// instrument names with their meter's name when the instrument is not already namespaced, so a
    /// series matches by its full name or by that suffix.
    /// </summary>
    public async Task<double?> MetricAsync(string name, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (nameEnd <= 0 || !(line[..nameEnd] == name || line[..nameEnd].EndsWith("_" + name, StringComparison.Ordinal)))
            {
                continue;
            }

            var valueText = line[(line.LastIndexOf(' ') + 1)..];
            if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sum = (sum ?? 0) + value;
            }
        }

        return sum;
    }

    /// <summary>Kills the process at once (no graceful shutdown: the lease is not released).</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Sends SIGTERM (graceful shutdown), as the kubelet does when a pod is deleted.</summary>
    public async Task TerminateAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        var result = await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(10), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"kill -TERM {_process.Id} failed: {result}");
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{this} did not exit within {timeout.TotalSeconds:0.#} s:\n{Log}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
        _process.Dispose();
        _cache?.Dispose();
    }

    public override string ToString() => $"wasmer {Name} on {BaseUri}";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length > 256 * 1024)
            {
                _log.Remove(0, 64 * 1024);
            }

            _log.AppendLine(line);
        }
    }

    private async Task WaitAsync(string path, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"{this} exited with code {_process.ExitCode}:\n{Log}");
                }

                try
                {
                    using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }
            },
            $"{this} to answer {path}",
            TimeSpan.FromSeconds(60),
            () => Log);
    }
}
