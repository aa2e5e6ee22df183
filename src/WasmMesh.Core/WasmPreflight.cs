namespace WasmMesh;

/// <summary>Options of <see cref="WasmPreflight"/>.</summary>
public sealed record WasmPreflightOptions
{
    /// <summary>
    /// The oldest proxy-wasm host the module must load on. Default <see cref="ProxyWasmHostRevision.June2022"/>:
    /// newer WASI functions such as <c>sched_yield</c> are refused, because older proxies reject the whole listener
    /// that carries such a module.
    /// </summary>
    public ProxyWasmHostRevision OldestHost { get; init; } = ProxyWasmHostRevision.June2022;
}

/// <summary>One reason a module would not load in Envoy.</summary>
/// <param name="Code">A stable code: <c>MissingAbiExport</c>, <c>UnknownAbiVersion</c>, <c>UnsupportedImport</c> or <c>GlobalImport</c>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Import">The offending import, when the problem is an import.</param>
public sealed record WasmPreflightProblem(string Code, string Message, WasmImport? Import = null)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>The outcome of <see cref="WasmPreflight.Check(WasmModuleInfo, WasmPreflightOptions?)"/>.</summary>
/// <param name="Problems">Every problem; empty when the module passes.</param>
public sealed record WasmPreflightResult(IReadOnlyList<WasmPreflightProblem> Problems)
{
    /// <summary>Whether the module passes.</summary>
    public bool Passed => Problems.Count == 0;

    /// <summary>Every problem on one line each.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Passed ? "passed" : string.Join("\n", Problems.Select(p => p.Message));
}

/// <summary>
/// Checks, before anything is written, that Envoy will load a module: it exports a known
/// <c>proxy_abi_version_*</c> marker and every function it imports is one Envoy's proxy-wasm host provides (see
/// <see cref="ProxyWasmHostFunctions"/>). Envoy rejects a module failing either rule when it loads the
/// configuration, whatever the filter's failure policy.
/// </summary>
public static class WasmPreflight
{
    /// <summary>Checks an inspected module.</summary>
    /// <param name="module">What <see cref="WasmModuleInspector"/> found.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <returns>Every problem.</returns>
    public static WasmPreflightResult Check(WasmModuleInfo module, WasmPreflightOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        options ??= new WasmPreflightOptions();
        var problems = new List<WasmPreflightProblem>();
        var markers = module.Exports.Where(e => e.StartsWith(WasmModuleInspector.ProxyAbiExportPrefix, StringComparison.Ordinal)).ToList();
        var abi = markers.Select(m => m[WasmModuleInspector.ProxyAbiExportPrefix.Length..])
            .FirstOrDefault(v => ProxyWasmHostFunctions.AbiVersions.Contains(v, StringComparer.Ordinal));
        if (markers.Count == 0)
        {
            problems.Add(new("MissingAbiExport", "the module exports no proxy_abi_version_* function, so Envoy does not run it as a proxy-wasm filter; build it with a proxy-wasm SDK"));
        }
        else if (abi is null)
        {
            problems.Add(new("UnknownAbiVersion", $"the module declares {markers[0]}, which Envoy does not know (known: {string.Join(", ", ProxyWasmHostFunctions.AbiVersions.Select(v => WasmModuleInspector.ProxyAbiExportPrefix + v))})"));
        }

        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case WasmImportKind.Function:
                    if (ProxyWasmHostFunctions.WhyMissing(import.Module, import.Name, abi, options.OldestHost) is { } why)
                    {
                        problems.Add(new("UnsupportedImport", $"the module imports {import}, which Envoy does not provide: {why}; rebuild the module without it", import));
                    }

                    break;
                case WasmImportKind.Global:
                    problems.Add(new("GlobalImport", $"the module imports the global {import}; Envoy provides no globals, so it refuses the module", import));
                    break;
                default:
                    break; // Envoy creates imported memories and tables itself.
            }
        }

        return new WasmPreflightResult(problems);
    }
}
