using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>One page of a list response.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record ResourceList<T>
{
    /// <summary>The list metadata: resource version and continue token.</summary>
    public required V1ListMeta Metadata { get; init; }

    /// <summary>The items of this page that could be decoded.</summary>
    public required IReadOnlyList<T> Items { get; init; }

    /// <summary>
    /// The items of this page that could not be decoded as <typeparamref name="T"/> (e.g. written by a newer
    /// version of the type); reading is lenient so that one bad object never hides the others. Default: empty.
    /// </summary>
    public IReadOnlyList<UndecodableObject> Undecodable { get; init; } = [];
}
