using WasmMesh.Kubernetes;

namespace WasmMesh.Operator;

/// <summary>The parts of an object's metadata that a reconcile depends on (everything but status and bookkeeping).</summary>
/// <param name="Uid">The uid (changes when the object is re-created under the same name).</param>
/// <param name="Generation">The generation (changes with the spec, never with the status).</param>
/// <param name="Deleting">Whether a deletion timestamp is set.</param>
/// <param name="Labels">The labels.</param>
/// <param name="Annotations">The annotations (for example a request to resolve a tag again).</param>
/// <param name="Finalizers">The finalizers.</param>
internal readonly record struct RelevantMetadata(
    string? Uid,
    long? Generation,
    bool Deleting,
    IEnumerable<KeyValuePair<string, string>>? Labels,
    IEnumerable<KeyValuePair<string, string>>? Annotations,
    IEnumerable<string>? Finalizers);

/// <summary>
/// Decides whether an informer event should queue a reconcile, as controller-runtime's
/// <c>GenerationChangedPredicate</c> combined with label, annotation and finalizer changes: an update that changed only
/// the status (our own status write coming back as a watch event) or only the resourceVersion/managedFields queues
/// nothing. Adds, deletes and resyncs always queue.
/// </summary>
internal static class RelevantChange
{
    /// <summary>Whether the event should queue a reconcile of the object.</summary>
    /// <param name="type">The event type.</param>
    /// <param name="old">The previous metadata of an update; null otherwise.</param>
    /// <param name="current">The current metadata.</param>
    /// <returns>True when the reconcile may have something new to do.</returns>
    public static bool Requeues(InformerEventType type, RelevantMetadata? old, RelevantMetadata current)
    {
        if (type != InformerEventType.Updated || old is not { } before)
        {
            return true;
        }

        return before.Uid != current.Uid
            || before.Generation != current.Generation
            || before.Deleting != current.Deleting
            || !SameMap(before.Labels, current.Labels)
            || !SameMap(before.Annotations, current.Annotations)
            || !SameList(before.Finalizers, current.Finalizers);
    }

    private static bool SameMap(IEnumerable<KeyValuePair<string, string>>? a, IEnumerable<KeyValuePair<string, string>>? b)
    {
        var left = (a ?? []).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var right = (b ?? []).ToList();
        return left.Count == right.Count
            && right.All(p => left.TryGetValue(p.Key, out var value) && string.Equals(value, p.Value, StringComparison.Ordinal));
    }

    private static bool SameList(IEnumerable<string>? a, IEnumerable<string>? b)
        => (a ?? []).SequenceEqual(b ?? [], StringComparer.Ordinal);
}
