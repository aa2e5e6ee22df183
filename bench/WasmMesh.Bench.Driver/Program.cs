using k8s;
// Load and observation driver for the controller benchmarks (bench/run.sh, section "controller" and "cachefill").
// It talks to the Kubernetes API (test) server through the WasmMesh Kubernetes client; every command prints
// machine-readable lines ("key value ...") that bench/lib parses.
//
//   create  --kubeconfig K --count N --url URL [--start I] [--prefix P] [--namespace NS] [--parallel N] [--sha256 HEX]
//           creates N AutoWasms named P<index> whose object source is URL (with --sha256 their status is set to
//           Synced with that digest, as a leader replica would have written it)
//   lease   --kubeconfig K --name NAME [--namespace NS] [--holder ID] [--seconds S]
//           creates a Lease held by someone else, so that a replica started afterwards stays a follower
//   synced  --kubeconfig K --marks 1000,10000 [--prefix P] [--timeout S]
//           watches AutoWasms; prints "watching" once the watch is open, then "synced <count> <unix-ms>" when the
//           number of Synced AutoWasms reaches each mark
//   writes  --kubeconfig K (--seconds S | --metrics URL [--reconciles N]) [--timeout S]
//           counts writes (watch events) to AutoWasms, EnvoyFilters, Events and Leases; prints "counting" once the
//           watches are open, then "writes <kind> <count>" lines. With --metrics (a wasmer /metrics URL) it stops
//           once that replica leads, has finished N reconciles and has an empty queue ("idle <seconds> <reconciles>"),
//           else after S seconds.
//   latency --kubeconfig K --count N --url URL [--prefix P] [--namespace NS]
//           creates AutoWasms one at a time and measures create -> EnvoyFilter visible; prints "latency p50 p99 max"
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WasmMesh.Kubernetes;

var command = args.Length > 0 ? args[0] : "help";
var options = Options.Parse(args.Skip(1).ToArray());
try
{
    return command switch
    {
        "create" => await Commands.CreateAsync(options),
        "lease" => await Commands.LeaseAsync(options),
        "synced" => await Commands.SyncedAsync(options),
        "writes" => await Commands.WritesAsync(options),
        "latency" => await Commands.LatencyAsync(options),
        _ => Usage(),
    };
}
catch (Exception e) when (e is ArgumentException or KubernetesApiException or HttpRequestException or TimeoutException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: WasmMesh.Bench.Driver create|lease|synced|writes|latency --kubeconfig PATH ... (see Program.cs)");
    return 2;
}

internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[++i];
        }

        return new Options(values);
    }

    public string Get(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public string? Find(string name) => values.GetValueOrDefault(name);

    public int Int(string name, int fallback) => values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}

internal static class Commands
{
    private static readonly KubernetesResourceType AutoWasms = new() { Group = "wasm.tcm.io", Version = "v1alpha1", Plural = "autowasms", Kind = "AutoWasm" };
    private static readonly KubernetesResourceType EnvoyFilters = new() { Group = "networking.istio.io", Version = "v1alpha3", Plural = "envoyfilters", Kind = "EnvoyFilter" };

    public static async Task<int> CreateAsync(Options options)
    {
        using var client = Client(options);
        var autowasms = client.Generic(AutoWasms);
        var count = options.Int("count", 1);
        var start = options.Int("start", 0);
        var prefix = options.Get("prefix", "aw-");
        var ns = options.Get("namespace", "default");
        var url = options.Get("url");
        var sha256 = options.Find("sha256");
        var parallel = options.Int("parallel", 16);
        var watch = Stopwatch.StartNew();
        var next = start - 1;
        var workers = Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < start + count)
            {
                var created = await autowasms.CreateAsync(AutoWasm(ns, prefix + i.ToString(CultureInfo.InvariantCulture), url, i));
                if (sha256 is not null)
                {
                    var status = JsonDocument.Parse($$"""{"phase":"Synced","sha256":"{{sha256}}","message":"set by the benchmark driver"}""").RootElement.Clone();
                    created.Fields!["status"] = status;
                    await autowasms.ReplaceStatusAsync(created);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        Console.WriteLine($"created {count} {watch.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)}");
        return 0;
    }

    public static async Task<int> LeaseAsync(Options options)
    {
        using var client = Client(options);
        var now = DateTimeOffset.UtcNow;
        await client.CoordinationV1.CreateNamespacedLeaseAsync(new k8s.Models.V1Lease
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = options.Get("name") },
            Spec = new k8s.Models.V1LeaseSpec
            {
                HolderIdentity = options.Get("holder", "benchmark-holder"),
                LeaseDurationSeconds = options.Int("seconds", 3600),
                AcquireTime = now.UtcDateTime,
                RenewTime = now.UtcDateTime,
            },
        }, options.Get("namespace", "default"));
        Console.WriteLine("lease created");
        return 0;
    }

    public static async Task<int> SyncedAsync(Options options)
    {
        using var client = Client(options);
        var autowasms = client.Generic(AutoWasms);
        var prefix = options.Get("prefix", string.Empty);
        var marks = options.Get("marks").Split(',').Select(m => int.Parse(m, CultureInfo.InvariantCulture)).Order().ToArray();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Int("timeout", 600)));
        var phases = new Dictionary<string, string?>(StringComparer.Ordinal);
        var synced = 0;
        var markIndex = 0;
        var list = await autowasms.ListAsync(null, new ListOptions(), timeout.Token);
        foreach (var item in list.Items)
        {
            Track(item);
        }

        var resourceVersion = list.Metadata.ResourceVersion;
        Console.WriteLine("watching");
        Report();
        try
        {
            while (markIndex < marks.Length)
            {
                await foreach (var e in autowasms.WatchAsync(null, new WatchOptions { ResourceVersion = resourceVersion, TimeoutSeconds = 3600 }, timeout.Token))
                {
                    resourceVersion = e.Metadata.ResourceVersion ?? resourceVersion;
                    if (e.Type == WatchEventType.Bookmark)
                    {
                        continue;
                    }

                    if (e.Type == WatchEventType.Deleted)
                    {
                        if (phases.Remove(e.Metadata.Name!, out var old) && old == "Synced")
                        {
                            synced--;
                        }

                        continue;
                    }

                    if (e.Object is { } item)
                    {
                        Track(item);
                    }

                    Report();
                    if (markIndex >= marks.Length)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            var summary = string.Join(", ", phases.Values.GroupBy(p => p ?? "(none)").Select(g => $"{g.Key}={g.Count()}"));
            Console.WriteLine($"timeout synced={synced} phases: {summary}");
            return 1;
        }

        return 0;

        void Track(GenericKubernetesObject item)
        {
            var name = item.Metadata.Name!;
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return;
            }

            var phase = item.Fields is not null && item.Fields.TryGetValue("status", out var status)
                && status.ValueKind == JsonValueKind.Object && status.TryGetProperty("phase", out var p) ? p.GetString() : null;
            phases.TryGetValue(name, out var previous);
            phases[name] = phase;
            if (previous != "Synced" && phase == "Synced")
            {
                synced++;
            }
            else if (previous == "Synced" && phase != "Synced")
            {
                synced--;
            }
        }

        void Report()
        {
            while (markIndex < marks.Length && synced >= marks[markIndex])
            {
                Console.WriteLine($"synced {marks[markIndex]} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
                markIndex++;
            }
        }
    }

    public static async Task<int> WritesAsync(Options options)
    {
        using var client = Client(options);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Int("timeout", 600)));
        var kinds = new (string Name, IKubernetesResourceClient<GenericKubernetesObject> Client)[]
        {
            ("AutoWasm", client.Generic(AutoWasms)),
            ("EnvoyFilter", client.Generic(EnvoyFilters)),
            ("Event", client.Generic(KubernetesResourceType.Events)),
            ("Lease", client.Generic(KubernetesResourceType.Leases)),
        };
        var counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var opened = new List<Task>();
        var watchers = new List<Task>();
        foreach (var (name, resource) in kinds)
        {
            counts[name] = 0;
            var list = await resource.ListAsync(null, new ListOptions { Limit = 1 }, stop.Token);
            var ready = new TaskCompletionSource();
            opened.Add(ready.Task);
            watchers.Add(Task.Run(async () =>
            {
                try
                {
                    var rv = list.Metadata.ResourceVersion;
                    while (!stop.IsCancellationRequested)
                    {
                        var stream = resource.WatchAsync(null, new WatchOptions { ResourceVersion = rv, TimeoutSeconds = 3600 }, stop.Token);
                        ready.TrySetResult();
                        await foreach (var e in stream)
                        {
                            rv = e.Metadata.ResourceVersion ?? rv;
                            if (e.Type != WatchEventType.Bookmark)
                            {
                                counts.AddOrUpdate(name, 1, (_, c) => c + 1);
                            }
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }));
        }

        await Task.WhenAll(opened);
        await Task.Delay(200); // let the watch requests reach the server before anything is changed
        Console.WriteLine("counting");
        var watch = Stopwatch.StartNew();
        if (options.Find("metrics") is { } metrics)
        {
            // Done when this replica leads, has finished --reconciles reconciles (or was seen busy, for builds whose
            // counters start late) and its queue has been empty with no active worker for three polls in a row.
            var expected = options.Int("reconciles", int.MaxValue);
            using var http = new HttpClient();
            var busySeen = false;
            var idlePolls = 0;
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(250, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                var m = await ReadControllerMetricsAsync(http, metrics);
                busySeen |= m.Depth > 0 || m.Active > 0;
                var worked = m.Reconciles >= expected || busySeen;
                idlePolls = m.Leader == 1 && m.Depth == 0 && m.Active == 0 && worked ? idlePolls + 1 : 0;
                if (idlePolls == 3)
                {
                    Console.WriteLine($"idle {watch.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} {m.Reconciles.ToString(CultureInfo.InvariantCulture)}");
                    await Task.Delay(1000);
                    break;
                }
            }
        }
        else
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Int("seconds", 10)), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var timedOut = stop.IsCancellationRequested;
        await stop.CancelAsync();
        await Task.WhenAll(watchers);
        foreach (var (name, _) in kinds)
        {
            Console.WriteLine($"writes {name} {counts[name]}");
        }

        if (timedOut)
        {
            Console.WriteLine("timeout");
            return 1;
        }

        return 0;
    }

    public static async Task<int> LatencyAsync(Options options)
    {
        using var client = Client(options);
        var autowasms = client.Generic(AutoWasms);
        var filters = client.Generic(EnvoyFilters);
        var count = options.Int("count", 50);
        var prefix = options.Get("prefix", "lat-");
        var ns = options.Get("namespace", "default");
        var url = options.Get("url");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Int("timeout", 600)));
        var seen = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        TaskCompletionSource<long> Waiter(string name) => seen.GetOrAdd(name, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        var list = await filters.ListAsync(ns, new ListOptions { Limit = 1 }, stop.Token);
        var watcher = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in filters.WatchAsync(ns, new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, TimeoutSeconds = 3600 }, stop.Token))
                {
                    if (e.Type is WatchEventType.Added or WatchEventType.Modified && e.Metadata.Name is { } name && name.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        Waiter(name).TrySetResult(Stopwatch.GetTimestamp());
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await Task.Delay(200);
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var name = prefix + i.ToString(CultureInfo.InvariantCulture);
            var waiter = Waiter(name);
            var started = Stopwatch.GetTimestamp();
            await autowasms.CreateAsync(AutoWasm(ns, name, url, 100_000 + i), cancellationToken: stop.Token);
            var seenAt = await waiter.Task.WaitAsync(stop.Token);
            samples.Add(Stopwatch.GetElapsedTime(started, seenAt).TotalMilliseconds);
        }

        await stop.CancelAsync();
        await watcher;
        samples.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency {Percentile(samples, 0.50):0.0} {Percentile(samples, 0.99):0.0} {samples[^1]:0.0} {samples.Count}"));
        return 0;
    }

    private static double Percentile(List<double> sorted, double p)
    {
        // nearest-rank percentile
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static async Task<(long Leader, long Depth, long Active, long Reconciles)> ReadControllerMetricsAsync(HttpClient http, string url)
    {
        string text;
        try
        {
            text = await http.GetStringAsync(new Uri(url));
        }
        catch (HttpRequestException)
        {
            return (0, -1, -1, 0); // not listening yet
        }

        long leader = 0, depth = 0, active = 0, reconciles = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            if (line.Contains("wasmmesh_leader_election_leader", StringComparison.Ordinal))
            {
                leader = (long)value;
            }
            else if (line.Contains("wasmmesh_controller_queue_depth", StringComparison.Ordinal))
            {
                depth += (long)value;
            }
            else if (line.Contains("wasmmesh_controller_workers_active", StringComparison.Ordinal))
            {
                active += (long)value;
            }
            else if (line.Contains("wasmmesh_controller_reconciles_total", StringComparison.Ordinal))
            {
                reconciles += (long)value;
            }
        }

        return (leader, depth, active, reconciles);
    }

    private static k8s.Kubernetes Client(Options options)
        => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Get("kubeconfig")));

    private static GenericKubernetesObject AutoWasm(string ns, string name, string url, int index)
    {
        var spec = JsonDocument.Parse(
            "{\"filter\":{\"applyPorts\":[9080],\"rootID\":\"bench\",\"source\":{\"object\":{\"url\":" + JsonSerializer.Serialize(url, DriverJson.Default.String) + "}}},"
            + "\"selector\":{\"matchLabels\":{\"app\":\"bench-" + index.ToString(CultureInfo.InvariantCulture) + "\"}}}").RootElement.Clone();
        return new GenericKubernetesObject
        {
            ApiVersion = "wasm.tcm.io/v1alpha1",
            Kind = "AutoWasm",
            Metadata = new k8s.Models.V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["spec"] = spec },
        };
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(GenericKubernetesObject))]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
internal sealed partial class DriverJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>Any resource: type meta and metadata typed, every other field kept as JSON.</summary>
internal sealed class GenericKubernetesObject : k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>
{
    [System.Text.Json.Serialization.JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = null!;

    [System.Text.Json.Serialization.JsonPropertyName("kind")]
    public string Kind { get; set; } = null!;

    [System.Text.Json.Serialization.JsonPropertyName("metadata")]
    public k8s.Models.V1ObjectMeta Metadata { get; set; } = new();

    [System.Text.Json.Serialization.JsonExtensionData]
    public IDictionary<string, JsonElement>? Fields { get; set; }
}

internal static class GenericClientExtensions
{
    public static IKubernetesResourceClient<GenericKubernetesObject> Generic(this k8s.IKubernetes client, KubernetesResourceType type) =>
        client.Resource(type, DriverJson.Default.GenericKubernetesObject);
}
