using System.Collections.Frozen;

namespace WasmMesh;

/// <summary>
/// Revisions of Envoy's proxy-wasm host (proxy-wasm-cpp-host) that added host functions a module may import. A
/// module that imports a function its proxy's host lacks is rejected when Envoy loads it, and the whole listener
/// update with it: fail-open does not cover that.
/// </summary>
public enum ProxyWasmHostRevision
{
    /// <summary>The capability-restricted host of December 2020: every <c>env.proxy_*</c> function, <c>env.pthread_equal</c>
    /// and the first twelve WASI functions.</summary>
    December2020 = 0,

    /// <summary>November 2021: WASI stubs for preopened files (<c>path_open</c>, <c>fd_prestat_get</c>, <c>fd_prestat_dir_name</c>).</summary>
    November2021 = 1,

    /// <summary>June 2022: <c>env.emscripten_notify_memory_growth</c>.</summary>
    June2022 = 2,

    /// <summary>December 2024: WASI functions the Go SDK calls (<c>sched_yield</c>, <c>poll_oneoff</c>, <c>fd_fdstat_set_flags</c>).</summary>
    December2024 = 3,

    /// <summary>April 2026: every other WASI preview 1 function as a stub.</summary>
    April2026 = 4,
}

/// <summary>
/// The functions Envoy's proxy-wasm host provides to modules, with the host revision that added each, taken from
/// proxy-wasm-cpp-host (<c>FOR_ALL_HOST_FUNCTIONS</c>, <c>FOR_ALL_HOST_FUNCTIONS_ABI_SPECIFIC</c>,
/// <c>FOR_ALL_WASI_FUNCTIONS</c> and <c>WasmBase::registerCallbacks</c>). WASI functions are provided under both
/// <c>wasi_unstable</c> and <c>wasi_snapshot_preview1</c>.
/// </summary>
public static class ProxyWasmHostFunctions
{
    /// <summary>The import module of the proxy-wasm functions.</summary>
    public const string EnvModule = "env";

    /// <summary>The WASI import modules Envoy serves.</summary>
    public static IReadOnlyList<string> WasiModules { get; } = ["wasi_unstable", "wasi_snapshot_preview1"];

    /// <summary>The ABI versions Envoy knows, as the suffix of the <c>proxy_abi_version_*</c> export.</summary>
    public static IReadOnlyList<string> AbiVersions { get; } = ["0_1_0", "0_2_0", "0_2_1"];

    /// <summary>The <c>env.proxy_*</c> functions every ABI version gets.</summary>
    public static IReadOnlyList<string> ProxyFunctions { get; } =
    [
        "proxy_log", "proxy_get_status", "proxy_set_property", "proxy_get_property", "proxy_send_local_response",
        "proxy_get_shared_data", "proxy_set_shared_data", "proxy_register_shared_queue", "proxy_resolve_shared_queue",
        "proxy_dequeue_shared_queue", "proxy_enqueue_shared_queue", "proxy_get_header_map_value",
        "proxy_add_header_map_value", "proxy_replace_header_map_value", "proxy_remove_header_map_value",
        "proxy_get_header_map_pairs", "proxy_set_header_map_pairs", "proxy_get_header_map_size",
        "proxy_get_buffer_status", "proxy_get_buffer_bytes", "proxy_set_buffer_bytes", "proxy_http_call",
        "proxy_grpc_call", "proxy_grpc_stream", "proxy_grpc_close", "proxy_grpc_cancel", "proxy_grpc_send",
        "proxy_set_tick_period_milliseconds", "proxy_get_current_time_nanoseconds", "proxy_define_metric",
        "proxy_increment_metric", "proxy_record_metric", "proxy_get_metric", "proxy_set_effective_context",
        "proxy_done", "proxy_call_foreign_function",
    ];

    /// <summary>The <c>env.proxy_*</c> functions registered only for one ABI version.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> AbiSpecificFunctions { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["0_1_0"] = ["proxy_get_configuration", "proxy_continue_request", "proxy_continue_response", "proxy_clear_route_cache"],
        ["0_2_0"] = ["proxy_continue_stream", "proxy_close_stream"],
        ["0_2_1"] = ["proxy_continue_stream", "proxy_close_stream", "proxy_get_log_level"],
    };

    /// <summary>Other <c>env</c> functions and the revision that added them.</summary>
    public static IReadOnlyDictionary<string, ProxyWasmHostRevision> EnvFunctions { get; } = new Dictionary<string, ProxyWasmHostRevision>(StringComparer.Ordinal)
    {
        ["pthread_equal"] = ProxyWasmHostRevision.December2020,
        ["emscripten_notify_memory_growth"] = ProxyWasmHostRevision.June2022,
    };

    /// <summary>The WASI functions and the revision that added them.</summary>
    public static IReadOnlyDictionary<string, ProxyWasmHostRevision> WasiFunctions { get; } = BuildWasi();

    private static readonly FrozenSet<string> ProxyFunctionSet = ProxyFunctions.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether a host of revision <paramref name="host"/> provides a function import to a module of ABI <paramref name="abi"/>.</summary>
    /// <param name="module">The import module.</param>
    /// <param name="name">The imported name.</param>
    /// <param name="abi">The module's ABI version suffix (e.g. <c>0_2_0</c>), or null when unknown.</param>
    /// <param name="host">The oldest host revision the module must run on.</param>
    /// <returns>Null when provided; otherwise why not.</returns>
    public static string? WhyMissing(string module, string name, string? abi, ProxyWasmHostRevision host)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        if (module == EnvModule)
        {
            if (ProxyFunctionSet.Contains(name))
            {
                return null;
            }

            if (abi is not null && AbiSpecificFunctions.TryGetValue(abi, out var specific) && specific.Contains(name, StringComparer.Ordinal))
            {
                return null;
            }

            var other = AbiSpecificFunctions.Where(p => p.Value.Contains(name, StringComparer.Ordinal)).Select(p => p.Key).ToList();
            if (other.Count > 0)
            {
                return $"Envoy provides it only to modules of proxy-wasm ABI {string.Join(" or ", other.Select(v => v.Replace('_', '.')))}, and this module declares ABI {abi?.Replace('_', '.') ?? "none"}";
            }

            return EnvFunctions.TryGetValue(name, out var envSince) ? Newer(envSince, host) : "Envoy provides no such function";
        }

        if (WasiModules.Contains(module, StringComparer.Ordinal))
        {
            return WasiFunctions.TryGetValue(name, out var since) ? Newer(since, host) : "Envoy provides no such WASI function";
        }

        return $"Envoy provides functions only under env, {string.Join(" and ", WasiModules)}";
    }

    private static string? Newer(ProxyWasmHostRevision since, ProxyWasmHostRevision host)
        => since <= host ? null : $"Envoy's proxy-wasm host added it only in its {Describe(since)} revision; proxies with an older host (the check assumes {Describe(host)}) reject the module";

    /// <summary>A revision as words, e.g. <c>December 2024</c>.</summary>
    /// <param name="revision">The revision.</param>
    /// <returns>The month and year.</returns>
    public static string Describe(ProxyWasmHostRevision revision) => revision switch
    {
        ProxyWasmHostRevision.December2020 => "December 2020",
        ProxyWasmHostRevision.November2021 => "November 2021",
        ProxyWasmHostRevision.June2022 => "June 2022",
        ProxyWasmHostRevision.December2024 => "December 2024",
        ProxyWasmHostRevision.April2026 => "April 2026",
        _ => revision.ToString(),
    };

    private static Dictionary<string, ProxyWasmHostRevision> BuildWasi()
    {
        var map = new Dictionary<string, ProxyWasmHostRevision>(StringComparer.Ordinal);
        foreach (var name in new[] { "fd_write", "fd_read", "fd_seek", "fd_close", "fd_fdstat_get", "environ_get", "environ_sizes_get", "args_get", "args_sizes_get", "clock_time_get", "random_get", "proc_exit" })
        {
            map[name] = ProxyWasmHostRevision.December2020;
        }

        foreach (var name in new[] { "path_open", "fd_prestat_get", "fd_prestat_dir_name" })
        {
            map[name] = ProxyWasmHostRevision.November2021;
        }

        foreach (var name in new[] { "fd_fdstat_set_flags", "sched_yield", "poll_oneoff" })
        {
            map[name] = ProxyWasmHostRevision.December2024;
        }

        foreach (var name in new[]
        {
            "fd_fdstat_set_rights", "clock_res_get", "fd_advise", "fd_allocate", "fd_datasync", "fd_filestat_set_size",
            "fd_filestat_set_times", "fd_pread", "fd_pwrite", "fd_readdir", "fd_renumber", "fd_sync", "fd_tell",
            "path_create_directory", "path_filestat_set_times", "path_link", "path_readlink", "path_remove_directory",
            "path_rename", "path_symlink", "path_unlink_file", "sock_accept", "sock_recv", "sock_send", "sock_shutdown",
            "path_filestat_get", "fd_filestat_get",
        })
        {
            map[name] = ProxyWasmHostRevision.April2026;
        }

        return map;
    }
}
