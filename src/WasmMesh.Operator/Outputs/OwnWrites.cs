using System.Collections.Concurrent;

namespace WasmMesh.Operator.Outputs;

/// <summary>
/// The output objects this controller wrote last — or read and found as wanted — by resource version, so that the
/// owned-output watch can tell the echo of its own work from a change made by someone else (the expectations of
/// controller-runtime's controllers). Only a change by someone else (a deletion, an edit) needs the owner reconciled;
/// the echo of a create would cost every AutoWasm a second reconcile on a cold start, and the watch's initial list of
/// outputs already verified would cost it one after every restart. Every watch event of an object consumes its entry,
/// so the table holds at most one entry per output: one whose echo has not arrived (yet, or at all when the watch had
/// listed that version before the controller read it).
/// </summary>
internal sealed class OwnWrites
{
    private readonly ConcurrentDictionary<string, string> _written = new(StringComparer.Ordinal);

    /// <summary>Records that this controller wrote <paramref name="name"/>, or read it as wanted, at <paramref name="resourceVersion"/>.</summary>
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
