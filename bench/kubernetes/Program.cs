using System.Diagnostics;
using WasmMesh.Kubernetes;
using WasmMesh.Testing;

// Measurement harness (not a test): `serve` runs the Kubernetes API test server standalone;
// `informer [count] [--external URL]` measures an informer's initial sync and the process RSS.
if (args.Length > 0 && args[0] == "serve")
{
    return await KubernetesTestServer.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "informer")
{
    var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
    return args.Contains("--separate") ? await InformerBench.RunSeparateAsync(count) : await InformerBench.RunAsync(count);
}

Console.WriteLine("usage: KubernetesBench serve [--port N --kubeconfig PATH ...] | informer [count]");
return 2;

internal static class InformerBench
{
    public static async Task<int> RunAsync(int count)
    {
        await using var server = new KubernetesTestServer(new KubernetesTestServerOptions { HistoryLimit = 1000 });
        await server.StartAsync();
        using var client = new KubernetesClient(server.ClientConfiguration);
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
            using var client = new KubernetesClient(KubernetesClientConfiguration.LoadKubeconfig(kubeconfig));
            return await MeasureAsync(client, count, "informer process only; server in a child process");
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
            dir.Delete(recursive: true);
        }
    }

    private static async Task<int> MeasureAsync(KubernetesClient client, int count, string note)
    {
        var secrets = client.Secrets();
        var fill = Stopwatch.StartNew();
        var batch = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            batch.Add(secrets.CreateAsync(new Secret
            {
                Metadata = new ObjectMeta { Name = $"s-{i:D5}", Namespace = "default", Labels = new Dictionary<string, string> { ["app"] = "bench", ["index"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                StringData = new Dictionary<string, string> { ["key"] = new string('x', 256) },
            }));
            if (batch.Count == 64)
            {
                await Task.WhenAll(batch);
                batch.Clear();
            }
        }

        await Task.WhenAll(batch);
        fill.Stop();
        GC.Collect();
        var rssBefore = Process.GetCurrentProcess().WorkingSet64;
        var sync = Stopwatch.StartNew();
        await using var informer = new Informer<Secret>(secrets, new InformerOptions { PageSize = 500 });
        await informer.StartAsync();
        await informer.WaitForSyncAsync();
        sync.Stop();
        using var proc = Process.GetCurrentProcess();
        proc.Refresh();
        var rss = proc.WorkingSet64;
        var peak = proc.PeakWorkingSet64;
        GC.Collect();
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"objects={informer.Count} fill={fill.Elapsed.TotalSeconds:0.00}s initialSync={sync.Elapsed.TotalSeconds:0.000}s rssBeforeInformer={rssBefore / 1048576.0:0.0}MB rssAfterSync={rss / 1048576.0:0.0}MB peakRss={peak / 1048576.0:0.0}MB managedHeap={managed / 1048576.0:0.0}MB ({note})");
        return informer.Count == count ? 0 : 1;
    }
}
