namespace WasmMesh.Kubernetes;

/// <summary>A change notification from an <see cref="Informer{T}"/>, keyed by namespace and name.</summary>
/// <typeparam name="T">The object type.</typeparam>
public sealed record InformerEvent<T>
    where T : class
{
    /// <summary>What happened.</summary>
    public required InformerEventType Type { get; init; }

    /// <summary>The namespace; empty for cluster-scoped objects.</summary>
    public required string Namespace { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The cache key: <c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
    public string Key => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";

    /// <summary>The current state (the last known state for <see cref="InformerEventType.Deleted"/>).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Mirrors the watch event field.")]
    public required T Object { get; init; }

    /// <summary>The previous state for <see cref="InformerEventType.Updated"/>; otherwise null.</summary>
    public T? OldObject { get; init; }
}
