namespace WasmMesh.Sources;

/// <summary>Retention by reference: modules in use are kept; the others are evicted least recently used first beyond the size budget.</summary>
public interface IWasmCacheRetention
{
    /// <summary>
    /// Records the set of modules in use and evicts unreferenced modules, least recently used first, until
    /// the cache fits <see cref="WasmCacheOptions.SizeBudgetBytes"/>. The set is remembered: later stores
    /// evict by the same rule. Until the first call no module is ever evicted, because the cache cannot
    /// know which ones are in use.
    /// </summary>
    /// <param name="inUse">The sha256 digests of every module any resource references. They are never evicted, even over budget.</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>What was evicted.</returns>
    Task<WasmCacheRetentionResult> ApplyRetentionAsync(IReadOnlyCollection<Digest> inUse, CancellationToken cancellationToken = default);
}
