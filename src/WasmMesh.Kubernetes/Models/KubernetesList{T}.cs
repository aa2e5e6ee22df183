namespace WasmMesh.Kubernetes;

/// <summary>One page of a list response.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record KubernetesList<T>
{
    /// <summary>The list metadata: resource version and continue token.</summary>
    public required ListMeta Metadata { get; init; }

    /// <summary>The items of this page.</summary>
    public required IReadOnlyList<T> Items { get; init; }
}
