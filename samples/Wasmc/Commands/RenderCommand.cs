using System.CommandLine;
using WasmMesh;
using WasmMesh.Istio;
using WasmMesh.Istio.Rendering;
using WasmMesh.Model;

namespace Wasmc.Commands;

/// <summary><c>wasmc render</c>: prints the Istio resource (any output kind) for each AutoWasm in a file, or explains where its filter lands.</summary>
internal static class RenderCommand
{
    private static readonly Dictionary<string, IstioOutputKind> KindNames = new(StringComparer.Ordinal)
    {
        ["envoyfilter"] = IstioOutputKind.EnvoyFilter,
        ["envoyfilter-ecds"] = IstioOutputKind.EnvoyFilterEcds,
        ["wasmplugin"] = IstioOutputKind.WasmPlugin,
        ["trafficextension"] = IstioOutputKind.TrafficExtension,
    };

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
        var retryBase = new Option<string>("--retry-base-interval") { Description = "first back-off between fetch retries (with --retries)", DefaultValueFactory = _ => "1s" };
        var retryMax = new Option<string>("--retry-max-interval") { Description = "largest back-off between fetch retries (with --retries)", DefaultValueFactory = _ => "10s" };
        var output = new Option<string>("--output", "-o") { Description = "yaml or json", DefaultValueFactory = _ => "yaml" };
        output.AcceptOnlyFromAmong("yaml", "json");
        var kind = new Option<string?>("--kind") { Description = "output kind: envoyfilter, envoyfilter-ecds, wasmplugin or trafficextension (default: each AutoWasm's spec.output, else envoyfilter)" };
        kind.AcceptOnlyFromAmong(KindNames.Keys.ToArray());
        var istioVersion = new Option<string>("--istio-version") { Description = "oldest Istio release of the mesh; fields it lacks are refused (TrafficExtension needs 1.30)", DefaultValueFactory = _ => IstioRelease.Default.ToString() };
        var explain = new Option<bool>("--explain") { Description = "print the HTTP filter chain Istio builds for each AutoWasm's context and where its module lands, instead of the resource" };

        var command = new Command("render", "Print the Istio resource (EnvoyFilter, EnvoyFilterECDS, WasmPlugin or TrafficExtension) that loads each AutoWasm's module from wasmer.")
        {
            file, sha256, wasm, serviceName, serviceNamespace, servicePort, clusterDomain, timeout, retries, retryBase, retryMax, output, kind, istioVersion, explain,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var shaText = parse.GetValue(sha256);
            var wasmPath = parse.GetValue(wasm);
            var explaining = parse.GetValue(explain);
            if (shaText is not null && wasmPath is not null)
            {
                problems.Add("give exactly one of --sha256 and --wasm (both are given)");
            }
            else if (shaText is null && wasmPath is null && !explaining)
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
                IstioVersion = parse.GetValue(istioVersion)!,
            };
            foreach (var (option, apply) in new (Option<string>, Action<TimeSpan>)[] { (retryBase, t => options.RetryBaseInterval = t), (retryMax, t => options.RetryMaxInterval = t) })
            {
                if (DurationParser.TryParse(parse.GetValue(option)!, out var interval))
                {
                    apply(interval);
                }
                else
                {
                    problems.Add($"{option.Name}: '{parse.GetValue(option)}' is not a duration; write e.g. 500ms, 1s or 30s");
                }
            }

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
                    await PreflightWarnings.WriteAsync(console, wasmPath, info);
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

            var fallback = parse.GetValue(kind) is { } kindName ? KindNames[kindName] : (IstioOutputKind?)null;
            var text = new System.Text.StringBuilder();
            if (problems.Count == 0)
            {
                if (explaining)
                {
                    foreach (var resource in read.Resources)
                    {
                        text.Append(IstioFilterChain.Explain(resource, fallback ?? IstioOutputBuilder.OutputFor(resource)));
                    }
                }
                else
                {
                    var builder = new IstioOutputBuilder(options);
                    var built = new List<IIstioResource>();
                    foreach (var resource in read.Resources)
                    {
                        try
                        {
                            var result = builder.Build(resource, digest!.Value, fallback ?? IstioOutputBuilder.OutputFor(resource));
                            built.Add(result.Resource);
                            foreach (var note in result.Notes)
                            {
                                await console.Error.WriteLineAsync($"wasmc: note: {resource.NamespaceOrDefault}/{resource.Metadata.Name}: {note}");
                            }
                        }
                        catch (IstioOutputException e)
                        {
                            problems.Add($"{resource.NamespaceOrDefault}/{resource.Metadata.Name}: {e.Message}");
                        }
                    }

                    text.Append(parse.GetValue(output) == "json"
                        ? string.Join(string.Empty, built.Select(IstioRenderer.ToJson))
                        : IstioRenderer.ToYaml(built));
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

            await console.Out.WriteAsync(text.ToString());
            await console.Out.FlushAsync(cancellationToken);
            return ExitCodes.Success;
        });

        return command;
    }
}
