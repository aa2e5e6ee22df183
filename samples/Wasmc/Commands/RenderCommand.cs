using System.CommandLine;
using WasmMesh;
using WasmMesh.Istio;
using WasmMesh.Istio.Rendering;
using WasmMesh.Model;

namespace Wasmc.Commands;

/// <summary><c>wasmc render</c>: prints the EnvoyFilter for each AutoWasm in a file.</summary>
internal static class RenderCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Option<string>("--file", "-f") { Description = "AutoWasm YAML or JSON file (one or more documents); '-' reads standard input", Required = true };
        var sha256 = new Option<string?>("--sha256") { Description = "sha256 of the module (64 lowercase hex digits, optionally prefixed sha256:)" };
        var wasm = new Option<string?>("--wasm") { Description = "module file whose sha256 is used (instead of --sha256)" };
        var serviceName = new Option<string>("--service-name") { Description = "wasmer Service name", DefaultValueFactory = _ => "wasmer" };
        var serviceNamespace = new Option<string>("--service-namespace") { Description = "wasmer Service namespace", DefaultValueFactory = _ => "istio-system" };
        var servicePort = new Option<int>("--service-port") { Description = "wasmer Service port", DefaultValueFactory = _ => 8081 };
        var clusterDomain = new Option<string>("--cluster-domain") { Description = "the mesh's DNS suffix", DefaultValueFactory = _ => "cluster.local" };
        var timeout = new Option<string>("--timeout") { Description = "Envoy fetch timeout per attempt (e.g. 600s, 30s, 2m)", DefaultValueFactory = _ => "600s" };
        var retries = new Option<int?>("--retries") { Description = "retries after a failed fetch (writes a retryPolicy; Envoy's default is 1)" };
        var output = new Option<string>("--output", "-o") { Description = "yaml or json", DefaultValueFactory = _ => "yaml" };
        output.AcceptOnlyFromAmong("yaml", "json");

        var command = new Command("render", "Print the Istio EnvoyFilter that loads each AutoWasm's module from wasmer.")
        {
            file, sha256, wasm, serviceName, serviceNamespace, servicePort, clusterDomain, timeout, retries, output,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var shaText = parse.GetValue(sha256);
            var wasmPath = parse.GetValue(wasm);
            if ((shaText is null) == (wasmPath is null))
            {
                problems.Add("give exactly one of --sha256 and --wasm");
            }

            Digest? digest = null;
            if (shaText is not null)
            {
                if (Digest.TryParseSha256(shaText, out var parsed, out var error))
                {
                    digest = parsed;
                }
                else
                {
                    problems.Add("--sha256: " + error);
                }
            }

            var options = new EnvoyFilterBuilderOptions
            {
                ServiceName = parse.GetValue(serviceName)!,
                ServiceNamespace = parse.GetValue(serviceNamespace)!,
                ServicePort = parse.GetValue(servicePort),
                ClusterDomain = parse.GetValue(clusterDomain)!,
                FetchRetries = parse.GetValue(retries),
            };
            if (DurationParser.TryParse(parse.GetValue(timeout)!, out var fetchTimeout))
            {
                options.FetchTimeout = fetchTimeout;
            }
            else
            {
                problems.Add($"--timeout: '{parse.GetValue(timeout)}' is not a duration; write e.g. 600s, 30s or 2m");
            }

            problems.AddRange(options.Validate().Select(p => "options: " + p));

            var path = parse.GetValue(file)!;
            AutoWasmReadResult read;
            try
            {
                read = path == "-"
                    ? AutoWasmReader.Read(await console.In.ReadToEndAsync(cancellationToken), "<stdin>")
                    : AutoWasmReader.Read(await File.ReadAllTextAsync(path, cancellationToken), path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{path}: cannot read the file: {e.Message}");
                read = new AutoWasmReadResult { Resources = [], Problems = [] };
            }

            problems.AddRange(read.Problems.Select(p => p.ToString()));

            if (wasmPath is not null && problems.Count == 0)
            {
                try
                {
                    var info = await WasmModuleInspector.InspectFileAsync(wasmPath, cancellationToken);
                    await using var stream = File.OpenRead(wasmPath);
                    digest = await Digest.ComputeSha256Async(stream, cancellationToken);
                    if (!info.IsProxyWasm)
                    {
                        await console.Error.WriteLineAsync($"wasmc: warning: {wasmPath} exports no proxy_abi_version_* function; Envoy will not run it as a filter");
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add($"--wasm: cannot read {wasmPath}: {e.Message}");
                }
                catch (InvalidWasmModuleException e)
                {
                    problems.Add("--wasm: " + e.Message);
                }
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await console.Error.WriteLineAsync("wasmc: " + problem);
                }

                return ExitCodes.Usage;
            }

            var builder = new EnvoyFilterBuilder(options);
            var filters = read.Resources.Select(r => builder.Build(r, digest!.Value)).ToList();
            var text = parse.GetValue(output) == "json"
                ? string.Join(string.Empty, filters.Select(EnvoyFilterRenderer.ToJson))
                : EnvoyFilterRenderer.ToYaml(filters);
            await console.Out.WriteAsync(text);
            await console.Out.FlushAsync(cancellationToken);
            return ExitCodes.Success;
        });

        return command;
    }
}
