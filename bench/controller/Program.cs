using k8s;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WasmMesh;
using WasmMesh.Istio;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using k8s.Models;
using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Testing;
using WasmMesh.TestSupport;

// Measurement harness (not a test) for the AutoWasm controller running in wasmer as a real process against the
// in-process Kubernetes API test server:
//   1. cold start: N AutoWasms sharing one object module exist before wasmer starts; time until all are Synced;
//   2. apply → EnvoyFilter written latency, sequential applies, for a cached (pinned) module, an object URL fetched
//      each time, and a registry tag (when docker-registry is installed);
//   3. writes during quiet periods: AutoWasm/EnvoyFilter resourceVersion changes and new Events while nothing changes,
//      across tag re-resolutions (5 s), a forced relist (history compacted, watches dropped) and a wasmer restart.
// Usage: dotnet run -c Release --project bench/controller -- [--count 1000] [--applies 50] [--quiet 30] [--tags 100]
var count = Option("--count", 1000);
var applies = Option("--applies", 50);
var quietSeconds = Option("--quiet", 30);
var tagCount = Option("--tags", 100);

var work = new TempDirectory("wasmmesh-controller-bench");
await using var api = new KubernetesTestServer(new KubernetesTestServerOptions { HistoryLimit = 200_000 });
await api.StartAsync();
await api.ApplyYamlAsync(AutoWasmCrd.Yaml);
await api.ApplyYamlAsync(IstioCrds.EnvoyFilterYaml);
foreach (var ns in new[] { "istio-system", "bench", "bench-latency", "bench-tags" })
{
    await api.ApplyYamlAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
}
var kubeconfig = work.Combine("kubeconfig");
await api.WriteKubeconfigAsync(kubeconfig);
using var client = new Kubernetes(api.ClientConfiguration);
var autowasms = client.Resource(KubernetesResourceType.Of<AutoWasm>(), ModelJsonContext.Default.AutoWasm);
var envoyFilters = client.Resource(KubernetesResourceType.Of<EnvoyFilter>(), IstioJsonContext.Default.EnvoyFilter);

var module = WasmModuleBuilder.Build(padding: 16 * 1024, seed: 7);
var sha = Digest.ComputeSha256(module).Hex;
await using var objects = await ObjectServer.StartAsync(module);
var url = new Uri(objects.BaseUri, "/filters/shared.wasm");
Console.WriteLine($"API server {api.Url}; module sha256:{sha[..12]}… ({module.Length} bytes) at {url}; Configuration {BenchPaths.Configuration}");

WasmerProcess? wasmer = null;
var filterSeen = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
RegistryServer? registry = null;
try
{
    // 1. Cold start.
    var created = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        await autowasms.CreateAsync(AutoWasm("bench", $"aw-{i:0000}", ObjectSource(url)), cancellationToken: ct));
    Console.WriteLine($"created {count} AutoWasms in {created.Elapsed.TotalSeconds:0.00} s");

    wasmer = await WasmerProcess.StartAsync(kubeconfig, work.Combine("cache-1"));
    var coldStart = wasmer.Started;
    var ready = await wasmer.WaitReadyAsync();
    var coldSynced = await WaitAllSyncedAsync(autowasms, count, TimeSpan.FromMinutes(5));
    var coldTotal = coldSynced - coldStart;
    Console.WriteLine($"cold start: ready (informer synced) after {(ready - coldStart).TotalSeconds:0.00} s; all {count} Synced after {coldTotal.TotalSeconds:0.00} s (process start → all observed Synced); object server GETs {objects.Requests}; {await ReconcileSummaryAsync(wasmer)}");

    // 2. Apply → EnvoyFilter written.
    using var watchStop = new CancellationTokenSource();
    var watchTask = WatchEnvoyFiltersAsync(envoyFilters, filterSeen, watchStop.Token);
    await Task.Delay(200);
    var latency = new Dictionary<string, List<double>>(StringComparer.Ordinal);
    latency["object, pinned sha256 (cached)"] = await MeasureAppliesAsync("pinned", i => ObjectSource(url, sha));
    latency["object URL (fetched each apply)"] = await MeasureAppliesAsync("object", i => ObjectSource(url));
    string? image = null;
    if (ExternalBinary.Find("docker-registry") is not null)
    {
        registry = await RegistryServer.StartAsync();
        image = $"{registry.Host}/bench/filter:v1";
        var moduleFile = work.Combine("module.wasm");
        await File.WriteAllBytesAsync(moduleFile, module);
        var push = await ProcessRunner.RunAsync("dotnet", [BenchPaths.Sample("Wasmc", "wasmc.dll"), "push", image, "-f", moduleFile]);
        if (push.ExitCode != 0)
        {
            throw new InvalidOperationException("wasmc push failed: " + push);
        }

        latency["registry tag (manifest resolved, blob cached)"] = await MeasureAppliesAsync("tag", i => RegistrySource(image));
    }
    else
    {
        Console.WriteLine("docker-registry is not installed: registry figures skipped");
    }

    foreach (var (kind, samples) in latency)
    {
        var slowest = samples.IndexOf(samples.Max());
        samples.Sort();
        Console.WriteLine($"apply → EnvoyFilter, {kind}: n={samples.Count} p50 {Percentile(samples, 0.50):0.0} ms, p90 {Percentile(samples, 0.90):0.0} ms, p99 {Percentile(samples, 0.99):0.0} ms, max {samples[^1]:0.0} ms (apply #{slowest + 1})");
    }

    // 3. Quiet periods: nothing changes, so nothing may be written.
    if (image is not null)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, tagCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await autowasms.CreateAsync(AutoWasm("bench-tags", $"tag-{i:000}", RegistrySource(image)), cancellationToken: ct));
    }

    var total = await autowasms.ListAsync();
    await WaitAllSyncedAsync(autowasms, total.Items.Count, TimeSpan.FromMinutes(2));
    await Task.Delay(1000);
    var before = await SnapshotAsync();
    var reconcilesBefore = await wasmer.MetricAsync("wasmmesh_controller_reconciles_total") ?? 0;
    await Task.Delay(TimeSpan.FromSeconds(quietSeconds));
    var afterQuiet = await SnapshotAsync();
    var reconcilesQuiet = (await wasmer.MetricAsync("wasmmesh_controller_reconciles_total") ?? 0) - reconcilesBefore;
    Report($"quiet {quietSeconds} s ({total.Items.Count} AutoWasms, {(image is null ? 0 : tagCount)} following a tag re-resolved every 5 s; {reconcilesQuiet} reconciles)", before, afterQuiet);

    // A relist: the informer's history is gone and its watch dropped, so it lists everything again.
    api.CompactHistory();
    api.DropWatches();
    var reconcilesRelist = await wasmer.MetricAsync("wasmmesh_controller_reconciles_total") ?? 0;
    await Task.Delay(TimeSpan.FromSeconds(10));
    var afterRelist = await SnapshotAsync();
    Report($"forced relist + 10 s ({(await wasmer.MetricAsync("wasmmesh_controller_reconciles_total") ?? 0) - reconcilesRelist} reconciles)", afterQuiet, afterRelist);

    // A restart: a new process (new cache) reconciles every AutoWasm once more.
    await wasmer.DisposeAsync();
    wasmer = await WasmerProcess.StartAsync(kubeconfig, work.Combine("cache-2"));
    var restartReady = await wasmer.WaitReadyAsync();
    while (!(await wasmer.MetricAsync("wasmmesh_leader_election_leader") is 1.0))
    {
        await Task.Delay(100);
    }

    Console.WriteLine($"restart: ready {(restartReady - wasmer.Started).TotalSeconds:0.00} s after start, leader {(DateTimeOffset.UtcNow - wasmer.Started).TotalSeconds:0.00} s after start (the killed process did not release the 15 s lease)");
    var restartWatch = Stopwatch.StartNew();
    while (restartWatch.Elapsed < TimeSpan.FromMinutes(3) && (await wasmer.MetricAsync("wasmmesh_controller_reconciles_total") ?? 0) < total.Items.Count)
    {
        await Task.Delay(200);
    }

    var restartReconciles = await wasmer.MetricAsync("wasmmesh_controller_reconciles_total") ?? 0;
    Console.WriteLine($"restart: {restartReconciles} reconciles in {restartWatch.Elapsed.TotalSeconds:0.00} s after becoming leader; {await ReconcileSummaryAsync(wasmer)}");
    await Task.Delay(2000);
    var afterRestart = await SnapshotAsync();
    Report("wasmer restarted (every AutoWasm reconciled again)", afterRelist, afterRestart);

    watchStop.Cancel();
    try
    {
        await watchTask;
    }
    catch (OperationCanceledException)
    {
    }
}
finally
{
    if (wasmer is not null)
    {
        await wasmer.DisposeAsync();
    }

    if (registry is not null)
    {
        await registry.DisposeAsync();
    }

    work.Dispose();
}

return 0;

async Task<List<double>> MeasureAppliesAsync(string prefix, Func<int, JsonObject> source)
{
    var samples = new List<double>();
    for (var i = 0; i < applies; i++)
    {
        var name = $"{prefix}-{i:000}";
        var start = Stopwatch.GetTimestamp();
        await autowasms.CreateAsync(AutoWasm("bench-latency", name, source(i)));
        var deadline = Stopwatch.StartNew();
        long seen;
        while (!filterSeen.TryGetValue("bench-latency/" + name, out seen))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"no EnvoyFilter for {name} within 30 s\n{wasmer?.Log}");
            }

            await Task.Delay(1);
        }

        samples.Add(Stopwatch.GetElapsedTime(start, seen).TotalMilliseconds);
    }

    return samples;
}

async Task<Snapshot> SnapshotAsync()
{
    var aw = await autowasms.ListAsync();
    var ef = await envoyFilters.ListAsync();
    var ev = await client.CoreV1.ListEventForAllNamespacesAsync();
    return new Snapshot(
        aw.Items.ToDictionary(a => $"{a.Metadata.Namespace}/{a.Metadata.Name}", a => a.Metadata.ResourceVersion ?? string.Empty, StringComparer.Ordinal),
        ef.Items.ToDictionary(a => $"{a.Metadata.Namespace}/{a.Metadata.Name}", a => a.Metadata.ResourceVersion ?? string.Empty, StringComparer.Ordinal),
        ev.Items.Count);
}

static async Task<string> ReconcileSummaryAsync(WasmerProcess wasmer)
{
    if (Environment.GetEnvironmentVariable("BENCH_DUMP_METRICS") == "1")
    {
        Console.WriteLine(await wasmer.MetricsTextAsync());
    }

    var reconciles = await wasmer.MetricAsync("wasmmesh_controller_reconcile_duration_count") ?? 0;
    var seconds = await wasmer.MetricAsync("wasmmesh_controller_reconcile_duration_sum") ?? 0;
    return $"{reconciles} reconciles, mean {(reconciles == 0 ? 0 : seconds / reconciles * 1000):0.0} ms each (4 workers)";
}

static void Report(string phase, Snapshot before, Snapshot after)
{
    static int Changed(Dictionary<string, string> a, Dictionary<string, string> b)
        => b.Count(kv => !a.TryGetValue(kv.Key, out var rv) || rv != kv.Value) + a.Keys.Count(k => !b.ContainsKey(k));
    Console.WriteLine($"{phase}: AutoWasm writes {Changed(before.AutoWasms, after.AutoWasms)}, EnvoyFilter writes {Changed(before.EnvoyFilters, after.EnvoyFilters)}, new Events {after.Events - before.Events}");
}

static async Task<DateTimeOffset> WaitAllSyncedAsync(IKubernetesResourceClient<AutoWasm> autowasms, int expected, TimeSpan timeout)
{
    var watch = Stopwatch.StartNew();
    while (true)
    {
        var list = await autowasms.ListAsync();
        var synced = list.Items.Where(a => a.Status?.Phase == AutoWasmPhase.Synced && a.Status.ObservedGeneration == a.Metadata.Generation).ToList();
        if (synced.Count >= expected)
        {
            return DateTimeOffset.UtcNow;
        }

        if (watch.Elapsed > timeout)
        {
            throw new TimeoutException($"only {synced.Count} of {expected} AutoWasms Synced after {timeout}");
        }

        await Task.Delay(250);
    }
}

static async Task WatchEnvoyFiltersAsync(IKubernetesResourceClient<EnvoyFilter> envoyFilters, ConcurrentDictionary<string, long> seen, CancellationToken cancellationToken)
{
    var list = await envoyFilters.ListAsync(cancellationToken: cancellationToken);
    await foreach (var e in envoyFilters.WatchAsync(options: new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion }, cancellationToken: cancellationToken))
    {
        if (e.Type == WatchEventType.Added)
        {
            seen.TryAdd($"{e.Metadata.Namespace}/{e.Metadata.Name}", Stopwatch.GetTimestamp());
        }
    }
}

static double Percentile(List<double> sorted, double p)
{
    var rank = p * (sorted.Count - 1);
    var low = (int)Math.Floor(rank);
    var high = (int)Math.Ceiling(rank);
    return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
}

static AutoWasm AutoWasm(string ns, string name, JsonObject source)
{
    var json = new JsonObject
    {
        ["apiVersion"] = "wasm.tcm.io/v1alpha1",
        ["kind"] = "AutoWasm",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["filter"] = new JsonObject { ["applyPorts"] = new JsonArray(9080), ["rootID"] = "bench", ["source"] = source },
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
        },
    };
    return json.Deserialize(ModelJsonContext.Default.AutoWasm)!;
}

static JsonObject ObjectSource(Uri url, string? pin = null)
{
    var source = new JsonObject { ["url"] = url.ToString() };
    if (pin is not null)
    {
        source["sha256"] = pin;
    }

    return new JsonObject { ["object"] = source };
}

static JsonObject RegistrySource(string image) => new() { ["registry"] = new JsonObject { ["image"] = image } };

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Snapshot(Dictionary<string, string> AutoWasms, Dictionary<string, string> EnvoyFilters, int Events);

/// <summary>The samples built beside this harness.</summary>
internal static class BenchPaths
{
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";

    public static string Sample(string project, string assembly)
        => Path.Combine(RepoPaths.Root, "samples", project, "bin", Configuration, "net10.0", assembly);
}

/// <summary>One public object (the module) on 127.0.0.1, counting GETs.</summary>
internal sealed class ObjectServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private ObjectServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<ObjectServer> StartAsync(byte[] module)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ObjectServer(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref server._requests);
            context.Response.ContentType = "application/wasm";
            context.Response.ContentLength = module.Length;
            await context.Response.Body.WriteAsync(module, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri($"http://127.0.0.1:{new Uri(address).Port}/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>wasmer as a child process on a free port.</summary>
internal sealed class WasmerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly System.Text.StringBuilder _log = new();

    private WasmerProcess(Process process, int port)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public DateTimeOffset Started { get; private set; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.Length <= 8000 ? _log.ToString() : _log.ToString()[^8000..];
            }
        }
    }

    public static Task<WasmerProcess> StartAsync(string kubeconfig, string cacheDirectory)
    {
        var port = FreePort.Next();
        var dll = BenchPaths.Sample("Wasmer", "wasmer.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var a in new[]
        {
            dll, $"--Wasmer:Kubeconfig={kubeconfig}", $"--Wasmer:Port={port}", "--Wasmer:ServicePort=8081",
            "--Wasmer:ListenAddress=127.0.0.1", "--Wasmer:AllowLoopbackSources=true", "--Wasmer:LeaseNamespace=default",
            $"--Wasmer:CacheDirectory={cacheDirectory}", "--Wasmer:TagResolveInterval=00:00:05",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            psi.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = psi };
        var wasmer = new WasmerProcess(process, port);
        process.OutputDataReceived += (_, e) => wasmer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => wasmer.Append(e.Data);
        wasmer.Started = DateTimeOffset.UtcNow;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.FromResult(wasmer);
    }

    public async Task<DateTimeOffset> WaitReadyAsync()
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"wasmer exited with {_process.ExitCode}\n{Log}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return DateTimeOffset.UtcNow;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("wasmer did not become ready\n" + Log);
    }

    /// <summary>The sum of a metric's samples; the exposition prefixes names with the meter name, so match by suffix.</summary>
    public Task<string> MetricsTextAsync() => _http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    public async Task<double?> MetricAsync(string name)
    {
        var text = await MetricsTextAsync();
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            var end = line.IndexOfAny(['{', ' ']);
            if (line.StartsWith('#') || end <= 0 || !(line[..end] == name || line[..end].EndsWith("_" + name, StringComparison.Ordinal)))
            {
                continue;
            }

            if (double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                sum = (sum ?? 0) + v;
            }
        }

        return sum;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
