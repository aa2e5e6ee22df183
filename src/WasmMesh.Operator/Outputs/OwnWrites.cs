using System.Collections.Concurrent;

namespace WasmMesh.Operator.Outputs;

/// <summary>
/// The output objects this controller wrote last, by resource version, so that the owned-output watch can tell the echo
/// of its own write from a change made by someone else (the expectations of controller-runtime's controllers). Only a
/// change by someone else (a deletion, an edit) needs the owner reconciled; the echo of a create would cost every
/// AutoWasm a second reconcile on a cold start. Every watch event of an object consumes its entry, so the table holds
/// only writes whose echo has not arrived yet.
/// </summary>
internal sealed class OwnWrites
{
    private readonly ConcurrentDictionary<string, string> _written = new(StringComparer.Ordinal);

    /// <summary>Records that this controller wrote <paramref name="name"/> and the server stored it as <paramref name="resourceVersion"/>.</summary>
    public void Record(string kind, string? ns, string name, string? resourceVersion)
    {
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            _written[Key(kind, ns, name)] = resourceVersion;
        }
    }

    /// <summary>
    /// Whether a watch event shows the object exactly as this controller wrote it; the recorded write is forgotten either
    /// way (any later event of the object is someone else's change or a newer write of ours, recorded anew).
    /// </summary>
    public bool IsEcho(string kind, string? ns, string name, string? resourceVersion)
        => _written.TryRemove(Key(kind, ns, name), out var written) && string.Equals(written, resourceVersion, StringComparison.Ordinal);

    /// <summary>How many writes wait for their echo.</summary>
    public int Pending => _written.Count;

    private static string Key(string kind, string? ns, string name) => $"{kind}/{ns}/{name}";
}
