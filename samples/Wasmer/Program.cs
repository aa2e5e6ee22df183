using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Connections;
using WasmMesh.Controllers;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Operator;
using WasmMesh.Testing;
using Wasmer;

// wasmer: watches AutoWasm resources, fetches and verifies their modules, serves them at /wasm/<sha256> on every
// replica, and (as the elected leader) writes the EnvoyFilters that make Envoy load them remotely.
var dev = args.Contains("--dev");
args = args.Where(a => a != "--dev").ToArray();
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Write(WasmerSettings.HelpText());
    return 0;
}

// Arguments are --dev, --help, or configuration keys (--Wasmer:Key=value, --Wasmer:Key value, --Logging:...):
// anything else would be dropped silently by the configuration provider, so it is an error.
var argumentProblems = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    var arg = args[i];
    var key = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..].Split('=', 2)[0] : null;
    if (key is null || !key.Contains(':', StringComparison.Ordinal))
    {
        argumentProblems.Add($"unknown argument '{arg}'; settings are passed as --Wasmer:Key=value ('wasmer --help' lists them)");
    }
    else if (!arg.Contains('=', StringComparison.Ordinal))
    {
        i++; // --Wasmer:Key value
    }
}

if (argumentProblems.Count > 0)
{
    return Fail(argumentProblems);
}

using var stopping = new CancellationTokenSource();
// appsettings.json is read from beside wasmer.dll, whatever the working directory (dotnet run, a container WORKDIR).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var (settings, settingProblems) = WasmerSettings.Bind(builder.Configuration, dev);
if (settingProblems.Count > 0)
{
    return Fail(settingProblems);
}

var (mirrors, mirrorProblems) = await WasmerMirrors.LoadAsync(settings, stopping.Token);
if (mirrorProblems.Count > 0)
{
    return Fail(mirrorProblems);
}

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

// A port already taken is the most common start-up failure: say so in one line before the host would log a stack trace.
if (PortProblem(settings) is { } portProblem)
{
    await Console.Error.WriteLineAsync($"wasmer: {portProblem}");
    if (devServer is not null)
    {
        await devServer.DisposeAsync();
    }

    return 1;
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
    .ConfigureSources(o =>
    {
        o.MaxModuleSize = settings.MaxModuleBytes;
        o.MaxModuleSizeRemedy = "raise --Wasmer:MaxModuleBytes if a module this large is expected";
        o.Timeout = settings.FetchTimeout;
        o.ConnectTimeout = settings.ConnectTimeout;
        o.ResponseHeaderTimeout = settings.ResponseHeaderTimeout;
        o.IdleReadTimeout = settings.IdleReadTimeout;
    })
    .ConfigureSsrfGuard(o => o.BlockLoopback = !settings.AllowLoopbackSources);
if (!mirrors.IsEmpty)
{
    builder.Services.AddWasmMeshOciMirrors(mirrors);
}

if (settings.ServeReferencedOnly || settings.RequireModuleToken)
{
    builder.Services.AddWasmMeshServingProtection(o =>
    {
        o.ServeReferencedOnly = settings.ServeReferencedOnly;
        o.RequireToken = settings.RequireModuleToken;
        o.TokenKeyFile = settings.ModuleTokenKeyFile;
        o.PreviousKeyValidity = settings.ModuleTokenPreviousKeyValidity;
    });
}

builder.Services.AddWasmMeshTelemetry(o =>
{
    o.ServiceName = "wasmer";
    o.OtlpEndpoint = settings.OtlpEndpoint;
});
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
        o.Workers = settings.Workers;
        o.FetchConcurrency = settings.FetchConcurrency;
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
    })
    .UseShutdownDrain(settings.ShutdownDrain);
// The drain counts against the host's shutdown timeout; leave the services 30 s after it to stop and release the lease.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownDrain + TimeSpan.FromSeconds(30));

var app = builder.Build();

app.MapWasmModules();
// Readiness means "can serve modules": the cache is open (resolved below, before start) and shutdown has not begun.
// It does not depend on the API server or on leadership: a replica serves /wasm/ from its cache through an outage.
app.MapGet("/readyz", (IHostApplicationLifetime lifetime) => lifetime.ApplicationStopping.IsCancellationRequested
    ? Results.Text("shutting down\n", statusCode: 503)
    : Results.Text("ready\n"));
// Liveness fails only for what a restart fixes: a controller whose source failed gets no keys until the process restarts.
app.MapGet("/healthz", (IControllerManager manager) => manager.CheckHealth().Any(h => h.State == ControllerState.SourceFailed)
    ? Results.Text(ControllerReport(manager), statusCode: 503)
    : Results.Text("ok\n"));
// Controller health, for people and alerts: informer caches synced, running on the leader or standing by, sources alive.
app.MapGet("/healthz/controllers", (IControllerManager manager) => Results.Text(ControllerReport(manager), statusCode: manager.CheckHealth().All(h => h.IsHealthy) ? 200 : 503));
app.MapWasmMeshMetrics();

try
{
    try
    {
        // Open the module cache before listening: readiness means it is open.
        _ = app.Services.GetRequiredService<WasmMesh.Sources.IWasmModuleCache>();
        await app.StartAsync(stopping.Token);
    }
    catch (IOException ex) when (ex.InnerException is AddressInUseException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
    {
        await Console.Error.WriteLineAsync($"wasmer: cannot listen on port {settings.Port}: it is already in use; stop the other process or choose another with --Wasmer:Port=N");
        return 1;
    }
    catch (OptionsValidationException ex)
    {
        return Fail(ex.Failures);
    }
    catch (Exception ex) when (ex is WasmMesh.WasmMeshException or IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException)
    {
        await Console.Error.WriteLineAsync($"wasmer: cannot start: {ex.Message}");
        return 1;
    }

    await app.WaitForShutdownAsync(stopping.Token);
}
finally
{
    if (devServer is not null)
    {
        await devServer.DisposeAsync();
    }
}

return Environment.ExitCode;

static string ControllerReport(IControllerManager manager)
    => string.Concat(manager.CheckHealth().Select(h => h + "\n"));

// Every problem on its own line, then exit code 2 (bad usage or settings): no stack trace, nothing started.
static int Fail(IEnumerable<string> problems)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine($"wasmer: {problem}");
    }

    return 2;
}

static string? PortProblem(WasmerOptions settings)
{
    var address = settings.ListenAddress is { } a && a != "*" ? System.Net.IPAddress.Parse(a) : System.Net.IPAddress.IPv6Any;
    try
    {
        using var probe = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        if (address.Equals(System.Net.IPAddress.IPv6Any))
        {
            probe.DualMode = true;
        }

        probe.Bind(new System.Net.IPEndPoint(address, settings.Port));
        return null;
    }
    catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
    {
        return $"cannot listen on port {settings.Port}: it is already in use; stop the other process or choose another with --Wasmer:Port=N";
    }
    catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AccessDenied)
    {
        return $"cannot listen on port {settings.Port}: permission denied (ports below 1024 need privileges); choose another with --Wasmer:Port=N";
    }
    catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AddressNotAvailable)
    {
        return $"cannot listen on {settings.ListenAddress}: no interface of this machine has that address; fix --Wasmer:ListenAddress";
    }
    catch (System.Net.Sockets.SocketException)
    {
        // IPv6 unavailable and the like: let Kestrel decide.
        return null;
    }
}
