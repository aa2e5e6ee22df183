// The Kubernetes API test server as a standalone process for the benchmarks (bench/run.sh): the AutoWasm,
// EnvoyFilter and WasmPlugin CRDs and the istio-system namespace are installed before it reports ready.
//
//   WasmMesh.Bench.ApiServer --kubeconfig PATH [--port N] [--history N]
//
// Prints "ready <url>" once serving; stops on SIGTERM or Ctrl+C. --history is the number of changes kept for
// watches resuming from an old resource version (default 200,000, enough for 10,000 AutoWasms and what the
// controller writes for them, so no informer has to relist in the middle of a measurement).
using System.Globalization;
using System.Runtime.InteropServices;
using WasmMesh.Istio;
using WasmMesh.Model;
using WasmMesh.Testing;

string? kubeconfig = null;
var port = 0;
var history = 200_000;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--kubeconfig":
            kubeconfig = Next();
            break;
        case "--port":
            port = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--history":
            history = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; usage: WasmMesh.Bench.ApiServer --kubeconfig PATH [--port N] [--history N]");
            return 2;
    }
}

if (kubeconfig is null)
{
    Console.Error.WriteLine("--kubeconfig PATH is required");
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var server = new KubernetesTestServer(new KubernetesTestServerOptions { Port = port, HistoryLimit = history });
await using (server)
{
    await server.StartAsync(stop.Token);
    await server.ApplyYamlAsync(AutoWasmCrd.Yaml, stop.Token);
    await server.ApplyYamlAsync(IstioCrds.EnvoyFilterYaml, stop.Token);
    await server.ApplyYamlAsync(IstioCrds.WasmPluginYaml, stop.Token);
    await server.ApplyYamlAsync("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n", stop.Token);
    await server.WriteKubeconfigAsync(kubeconfig, stop.Token);
    Console.WriteLine($"ready {server.Url}");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

return 0;
