using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using WasmMesh.Kubernetes;
using WasmMesh.Testing;

// Measurement harness (not a test): `serve` runs the Kubernetes API test server standalone;
// `informer [count] [--separate]` measures an informer's initial list and sync and the process RSS;
// `watch [count] [--url URL]` measures decoding a watch that replays count events (against a server started by
// `serve-history count`, which keeps count + 100 changes, when --url is given; see watch-compare.sh).
if (args.Length > 0 && args[0] == "serve")
{
    return await KubernetesTestServer.RunAsync(args[1..]);
}

if (args.Length > 1 && args[0] == "serve-history")
{
    return await InformerBench.ServeAsync(int.Parse(args[1], NumberStyles.None, CultureInfo.InvariantCulture));
}

var count = args.Length > 1 && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 10_000;
switch (args.FirstOrDefault())
{
    case "informer":
        return args.Contains("--separate") ? await InformerBench.RunSeparateAsync(count) : await InformerBench.RunAsync(count);
    case "watch":
        var url = Array.IndexOf(args, "--url") is var at and > 0 && at + 1 < args.Length ? args[at + 1] : null;
        return await InformerBench.RunWatchAsync(count, url);
    default:
        Console.WriteLine("usage: KubernetesBench serve [--port N --kubeconfig PATH ...] | serve-history count | informer [count] [--separate] | watch [count] [--url URL]");
        return 2;
}

[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class BenchJsonContext : JsonSerializerContext
{
}

internal static class InformerBench
{
    public static async Task<int> RunAsync(int count)
    {
        await using var server = new KubernetesTestServer(new KubernetesTestServerOptions { HistoryLimit = 1000 });
        await server.StartAsync();
        using var client = new Kubernetes(server.ClientConfiguration);
        return await MeasureAsync(client, count, "server and informer in one process");
    }

    /// <summary>Runs the server in a child process so the RSS figure is the informer process alone.</summary>
    public static async Task<int> RunSeparateAsync(int count)
    {
        var dir = Directory.CreateTempSubdirectory("k8s-bench");
        var kubeconfig = Path.Combine(dir.FullName, "kubeconfig");
        var self = typeof(InformerBench).Assembly.Location;
        using var child = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { self, "serve", "--kubeconfig", kubeconfig }, RedirectStandardOutput = true })!;
        try
        {
            await child.StandardOutput.ReadLineAsync();
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            return await MeasureAsync(client, count, "informer process only; server in a child process");
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Runs an API test server that keeps the last count + 100 changes until killed; prints its URL first.</summary>
    public static async Task<int> ServeAsync(int count)
    {
        await using var server = new KubernetesTestServer(new KubernetesTestServerOptions { HistoryLimit = count + 100 });
        await server.StartAsync();
        Console.WriteLine($"url {server.Url}");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    /// <summary>
    /// Creates count Secrets after noting the resource version, then times a watch from it until every ADDED event is
    /// decoded: against <paramref name="url"/>, or an in-process server when null.
    /// </summary>
    public static async Task<int> RunWatchAsync(int count, string? url)
    {
        if (url is not null)
        {
            using var remote = new Kubernetes(new KubernetesClientConfiguration { Host = url.TrimEnd('/') });
            return await RunWatchAsync(remote, count);
        }

        await using var server = new KubernetesTestServer(new KubernetesTestServerOptions { HistoryLimit = count + 100 });
        await server.StartAsync();
        using var client = new Kubernetes(server.ClientConfiguration);
        return await RunWatchAsync(client, count);
    }

    private static async Task<int> RunWatchAsync(Kubernetes client, int count)
    {
        var secrets = client.Resource(KubernetesResourceType.Secrets, BenchJsonContext.Default.V1Secret);
        var from = (await secrets.ListAsync("default")).Metadata.ResourceVersion;
        await FillAsync(client, count);
        var watch = Stopwatch.StartNew();
        var seen = 0;
        var first = TimeSpan.Zero;
        await foreach (var e in secrets.WatchAsync("default", new WatchOptions { ResourceVersion = from, AllowWatchBookmarks = false }))
        {
            if (seen == 0)
            {
                first = watch.Elapsed;
            }

            if (e.Type == WatchEventType.Added && e.Object?.Data?.Count == 1 && ++seen == count)
            {
                break;
            }
        }

        watch.Stop();
        Console.WriteLine($"events={seen} watch={watch.Elapsed.TotalSeconds:0.000}s firstEvent={first.TotalSeconds:0.000}s");
        return seen == count ? 0 : 1;
    }

    private static async Task FillAsync(Kubernetes client, int count)
    {
        var batch = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            batch.Add(client.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret
                {
                    Metadata = new V1ObjectMeta { Name = $"s-{i:D5}", Labels = new Dictionary<string, string> { ["app"] = "bench", ["index"] = i.ToString(CultureInfo.InvariantCulture) } },
                    StringData = new Dictionary<string, string> { ["key"] = new string('x', 256) },
                },
                "default"));
            if (batch.Count == 64)
            {
                await Task.WhenAll(batch);
                batch.Clear();
            }
        }

        await Task.WhenAll(batch);
    }

    private static async Task<int> MeasureAsync(Kubernetes client, int count, string note)
    {
        var fill = Stopwatch.StartNew();
        await FillAsync(client, count);
        fill.Stop();
        GC.Collect();
        var rssBefore = Process.GetCurrentProcess().WorkingSet64;
        var sync = Stopwatch.StartNew();
        await using var informer = new Informer<V1Secret>(client.Resource(KubernetesResourceType.Secrets, BenchJsonContext.Default.V1Secret), new InformerOptions { PageSize = 500 });
        await informer.StartAsync();
        await informer.WaitForSyncAsync();
        sync.Stop();
        using var proc = Process.GetCurrentProcess();
        proc.Refresh();
        var rss = proc.WorkingSet64;
        var peak = proc.PeakWorkingSet64;
        GC.Collect();
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        var synced = informer.List().Count;
        Console.WriteLine($"objects={synced} fill={fill.Elapsed.TotalSeconds:0.00}s initialSync={sync.Elapsed.TotalSeconds:0.000}s rssBeforeInformer={rssBefore / 1048576.0:0.0}MB rssAfterSync={rss / 1048576.0:0.0}MB peakRss={peak / 1048576.0:0.0}MB managedHeap={managed / 1048576.0:0.0}MB ({note})");
        return synced == count ? 0 : 1;
    }
}
