using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Sources;

namespace WasmMesh.Operator;

/// <summary>
/// The informer-backed cache of AutoWasm resources. It runs on every replica (leader or not): the reconciler reads
/// from it, and the serving endpoint uses it to map a digest back to the AutoWasm that names it.
/// </summary>
internal sealed class AutoWasmStore : IAsyncDisposable, IWasmModuleReferences
{
    /// <summary>The informer index of AutoWasms by <c>status.sha256</c> (the digest as <c>sha256:hex</c>).</summary>
    internal const string BySha256 = "status.sha256";

    /// <summary>Creates the store over an informer and indexes it by the module digest its statuses name.</summary>
    /// <param name="informer">The AutoWasm informer.</param>
    /// <remarks>
    /// Every lookup by digest — the cache retention after each sync, a fill on demand, the access check of each served
    /// module — reads the index, never a scan of every AutoWasm: with 10,000 AutoWasms a scan per reconcile made a cold
    /// start quadratic.
    /// </remarks>
    public AutoWasmStore(Informer<AutoWasm> informer)
    {
        ArgumentNullException.ThrowIfNull(informer);
        Informer = informer;
        informer.AddIndex(BySha256, static a => a.Status?.Sha256 is { } digest ? [digest.ToString()] : []);
    }

    /// <summary>The underlying informer.</summary>
    public Informer<AutoWasm> Informer { get; }

    /// <summary>Whether the initial list has completed.</summary>
    public bool HasSynced => Informer.HasSynced;

    /// <summary>One AutoWasm from the cache.</summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <returns>The resource, or null when absent.</returns>
    public AutoWasm? Get(string namespaceName, string name) => Informer.Get(namespaceName, name);

    /// <summary>Every cached AutoWasm.</summary>
    /// <returns>The resources.</returns>
    public IReadOnlyList<AutoWasm> List() => Informer.List();

    /// <summary>The module digests named by any AutoWasm's status; the cache must keep these.</summary>
    /// <returns>The digests in use.</returns>
    public IReadOnlyCollection<Digest> DigestsInUse()
    {
        var values = Informer.IndexValues(BySha256);
        var set = new HashSet<Digest>(values.Count);
        foreach (var value in values)
        {
            set.Add(Digest.Parse(value));
        }

        return set;
    }

    /// <summary>The AutoWasm whose status names a module digest, if any.</summary>
    /// <param name="sha256">The module digest.</param>
    /// <returns>The resource, or null.</returns>
    public AutoWasm? FindBySha256(Digest sha256)
    {
        foreach (var resource in Informer.ByIndex(BySha256, sha256.ToString()))
        {
            if (resource.Spec is not null)
            {
                return resource;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> NamespacesReferencing(Digest sha256)
    {
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in Informer.ByIndex(BySha256, sha256.ToString()))
        {
            if (resource.Spec is not null)
            {
                namespaces.Add(resource.NamespaceOrDefault);
            }
        }

        return namespaces;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Informer.DisposeAsync();
}
