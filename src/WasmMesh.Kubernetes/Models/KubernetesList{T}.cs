namespace WasmMesh.Kubernetes;

/// <summary>One page of a list response.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record KubernetesList<T>
{
    /// <summary>The list metadata: resource version and continue token.</summary>
    public required ListMeta Metadata { get; init; }

    /// <summary>The items of this page.</summary>
    public required IReadOnlyList<T> Items { get; init; }

    /// <summary>
    /// The metadata of each item, parallel to <see cref="Items"/>, parsed from the response whatever
    /// <typeparamref name="T"/> looks like; empty when the list was not read from a server.
    /// </summary>
    public IReadOnlyList<ObjectMeta> ItemMetadata { get; init; } = [];
}
