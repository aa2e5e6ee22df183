namespace WasmMesh.Kubernetes;

/// <summary>One event of a watch stream.</summary>
/// <typeparam name="T">The object type.</typeparam>
public sealed record WatchEvent<T>
{
    /// <summary>What happened.</summary>
    public required WatchEventType Type { get; init; }

    /// <summary>The object (for a bookmark, only its kind and resource version are meaningful).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The watch event field is named object.")]
    public required T Object { get; init; }

    /// <summary>The object's metadata, parsed from the same JSON whatever <typeparamref name="T"/> looks like.</summary>
    public required ObjectMeta Metadata { get; init; }
}
