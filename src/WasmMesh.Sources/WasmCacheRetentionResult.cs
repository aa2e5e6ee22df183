namespace WasmMesh.Sources;

/// <summary>The outcome of a retention pass.</summary>
public sealed record WasmCacheRetentionResult
{
    /// <summary>The modules evicted, least recently used first.</summary>
    public required IReadOnlyList<Digest> Evicted { get; init; }

    /// <summary>The bytes freed.</summary>
    public required long BytesFreed { get; init; }

    /// <summary>The bytes the cache holds after the pass.</summary>
    public required long TotalBytes { get; init; }

    /// <summary>Whether the cache is still over budget because the modules in use alone exceed it.</summary>
    public required bool OverBudget { get; init; }
}
