using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WasmMesh.Controllers;
using WasmMesh.Operator;
using WasmMesh.Testing;
using Wasmer;

// wasmer: watches AutoWasm resources, fetches and verifies their modules, serves them at /wasm/<sha256> on every
// replica, and (as the elected leader) writes the EnvoyFilters that make Envoy load them remotely.
var dev = args.Contains("--dev");
args = args.Where(a => a != "--dev").ToArray();
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        wasmer: serves proxy-wasm modules to Envoy and writes the Istio resource (EnvoyFilter, WasmPlugin, …) for AutoWasm resources.

        Usage: wasmer [--dev] [--Wasmer:Key=value ...]

          --dev                          run against an in-process Kubernetes API test server (prints its kubeconfig)
          --Wasmer:Port=8081             HTTP port for /wasm/<sha256>, /healthz, /readyz, /metrics
          --Wasmer:Kubeconfig=PATH       kubeconfig (default $KUBECONFIG, ~/.kube/config, then in-cluster)
          --Wasmer:WatchNamespace=NS     watch one namespace (default all)
          --Wasmer:ServiceName=wasmer --Wasmer:ServiceNamespace=istio-system --Wasmer:ClusterDomain=cluster.local
          --Wasmer:ServicePort=N         the Service port in EnvoyFilters (default the HTTP port)
          --Wasmer:CacheDirectory=DIR --Wasmer:CacheBudgetBytes=N --Wasmer:LeaseName=wasmer-leader
          --Wasmer:LeaseDuration=00:00:15 --Wasmer:RenewDeadline=00:00:10 --Wasmer:RetryPeriod=00:00:02
          --Wasmer:Output=EnvoyFilter    default output: EnvoyFilter, EnvoyFilterECDS, WasmPlugin, TrafficExtension
          --Wasmer:IstioVersion=1.25     oldest Istio release of the mesh (fields it lacks are never written)
          --Wasmer:FetchRetries=5 --Wasmer:RetryBaseInterval=00:00:01 --Wasmer:RetryMaxInterval=00:00:30
                                         Envoy's remote fetch retries (negative: none, Envoy's default of one)
          --Wasmer:Preflight=true        check each module's ABI export and imports before writing anything
        Settings also come from appsettings.json and WASMER__KEY environment variables.
        """);
    return 0;
}

using var stopping = new CancellationTokenSource();
// appsettings.json is read from beside wasmer.dll, whatever the working directory (dotnet run, a container WORKDIR).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var settings = builder.Configuration.GetSection("Wasmer").Get<WasmerOptions>() ?? new WasmerOptions();

KubernetesTestServer? devServer = null;
string? kubeconfig = settings.Kubeconfig;
if (dev)
{
    var devDirectory = Path.Combine(Environment.CurrentDirectory, ".wasmer-dev");
    (devServer, kubeconfig) = await DevEnvironment.StartAsync(devDirectory, stopping.Token);
    settings.AllowLoopbackSources = true;
    settings.ListenAddress ??= "127.0.0.1";
    settings.LeaseNamespace ??= "default";
    if (settings.CacheDirectory == new WasmerOptions().CacheDirectory)
    {
        settings.CacheDirectory = Path.Combine(devDirectory, "cache");
    }

    Console.WriteLine($"kubeconfig: {kubeconfig}");
    Console.WriteLine($"""
        The development API server is at {devServer.Url}. In another shell:
          export KUBECONFIG={kubeconfig}
          kubectl apply -f samples/Wasmer/examples/autowasm-object.yaml
          kubectl get aw
        Modules are served at http://127.0.0.1:{settings.Port}/wasm/<sha256>.
        """);
}

builder.WebHost.UseKestrel(kestrel =>
{
    if (settings.ListenAddress is { } address && address != "*")
    {
        kestrel.Listen(System.Net.IPAddress.Parse(address), settings.Port);
    }
    else
    {
        kestrel.ListenAnyIP(settings.Port);
    }
});
// Serving many sidecars: run request continuations inline on the socket threads (the endpoint never blocks).
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

builder.Services.AddWasmMeshKubernetes(o =>
{
    o.KubeconfigPath = kubeconfig;
    o.Context = settings.Context;
});
builder.Services.AddWasmMeshServing()
    .ConfigureCache(o =>
    {
        o.Directory = settings.CacheDirectory;
        o.SizeBudgetBytes = settings.CacheBudgetBytes;
    })
    .ConfigureSources(o => o.MaxModuleSize = settings.MaxModuleBytes)
    .ConfigureSsrfGuard(o => o.BlockLoopback = !settings.AllowLoopbackSources);
builder.Services.AddWasmMeshPrometheusMetrics();
builder.Services.AddWasmMeshOperator(o =>
    {
        o.WatchNamespace = settings.WatchNamespace;
        o.TagResolveInterval = settings.TagResolveInterval;
        o.EnvoyFilter.ServiceName = settings.ServiceName;
        o.EnvoyFilter.ServiceNamespace = settings.ServiceNamespace;
        o.EnvoyFilter.ServicePort = settings.ServicePort ?? settings.Port;
        o.EnvoyFilter.ClusterDomain = settings.ClusterDomain;
        o.EnvoyFilter.IstioVersion = settings.IstioVersion;
        o.EnvoyFilter.FetchRetries = settings.FetchRetries < 0 ? null : settings.FetchRetries;
        o.EnvoyFilter.RetryBaseInterval = settings.RetryBaseInterval;
        o.EnvoyFilter.RetryMaxInterval = settings.RetryMaxInterval;
        o.DefaultOutput = settings.Output;
        o.Preflight = settings.Preflight;
    })
    .UseKubernetesLeaderLock()
    .ConfigureLeaderElection(o =>
    {
        o.LeaseName = settings.LeaseName;
        if (settings.LeaseNamespace is { } ns)
        {
            o.LeaseNamespace = ns;
        }

        o.LeaseDuration = settings.LeaseDuration ?? o.LeaseDuration;
        o.RenewDeadline = settings.RenewDeadline ?? o.RenewDeadline;
        o.RetryPeriod = settings.RetryPeriod ?? o.RetryPeriod;
    });

var app = builder.Build();

app.MapWasmModules();
app.MapGet("/healthz", () => Results.Text("ok\n"));
app.MapGet("/readyz", (AutoWasmStore store) => store.HasSynced ? Results.Text("ready\n") : Results.Text("waiting for the AutoWasm informer to sync\n", statusCode: 503));
app.MapWasmMeshPrometheusMetrics();

try
{
    await app.RunAsync(stopping.Token);
}
finally
{
    if (devServer is not null)
    {
        await devServer.DisposeAsync();
    }
}

return Environment.ExitCode;
