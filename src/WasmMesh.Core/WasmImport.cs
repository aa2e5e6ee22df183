namespace WasmMesh;

/// <summary>What kind of thing a WebAssembly module imports.</summary>
public enum WasmImportKind
{
    /// <summary>A function.</summary>
    Function = 0,

    /// <summary>A table.</summary>
    Table = 1,

    /// <summary>A linear memory.</summary>
    Memory = 2,

    /// <summary>A global.</summary>
    Global = 3,
}

/// <summary>One import of a WebAssembly module: <c>module.name</c> and its kind.</summary>
/// <param name="Module">The import module, e.g. <c>env</c> or <c>wasi_snapshot_preview1</c>.</param>
/// <param name="Name">The imported name, e.g. <c>proxy_log</c>.</param>
/// <param name="Kind">Function, table, memory or global.</param>
public sealed record WasmImport(string Module, string Name, WasmImportKind Kind)
{
    /// <summary>The import as <c>module.name</c>, the way Envoy names it in its errors.</summary>
    /// <returns>E.g. <c>wasi_snapshot_preview1.sched_yield</c>.</returns>
    public override string ToString() => $"{Module}.{Name}";
}
