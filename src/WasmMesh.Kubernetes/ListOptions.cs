namespace WasmMesh.Kubernetes;

/// <summary>Options of a list request.</summary>
public sealed record ListOptions
{
    /// <summary>A label selector, e.g. <c>app=details,tier!=db</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>A field selector, e.g. <c>metadata.name=test</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>The page size; null for everything in one response.</summary>
    public int? Limit { get; init; }

    /// <summary>The continue token of the previous page.</summary>
    public string? Continue { get; init; }

    /// <summary>The resource version to read at (<c>0</c> = any cached version); null for the latest.</summary>
    public string? ResourceVersion { get; init; }
}
