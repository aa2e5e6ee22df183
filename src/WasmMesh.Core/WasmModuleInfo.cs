namespace WasmMesh;

/// <summary>What <see cref="WasmModuleInspector"/> found in a WebAssembly module.</summary>
public sealed record WasmModuleInfo
{
    /// <summary>The binary format version from the header (1 for every module Envoy runs).</summary>
    public required uint Version { get; init; }

    /// <summary>Every export name, in module order.</summary>
    public required IReadOnlyList<string> Exports { get; init; }

    /// <summary>Every import, in module order.</summary>
    public IReadOnlyList<WasmImport> Imports { get; init; } = [];

    /// <summary>The proxy-wasm ABI marker export, e.g. <c>proxy_abi_version_0_2_0</c>; <see langword="null"/> when absent.</summary>
    public string? ProxyAbiVersion => Exports.FirstOrDefault(e => e.StartsWith(WasmModuleInspector.ProxyAbiExportPrefix, StringComparison.Ordinal));

    /// <summary>Whether the module exports a proxy-wasm ABI marker and so can run as an Envoy filter.</summary>
    public bool IsProxyWasm => ProxyAbiVersion is not null;
}
