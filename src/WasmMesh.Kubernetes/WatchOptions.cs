namespace WasmMesh.Kubernetes;

/// <summary>Options of a watch request.</summary>
public sealed record WatchOptions
{
    /// <summary>Start after this resource version (usually a list's); null starts with synthetic ADDED events for every existing object.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>A label selector.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>A field selector.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Ask for BOOKMARK events that carry the latest resource version (default true).</summary>
    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>Ask the server to end the watch after this many seconds; null for the server default.</summary>
    public int? TimeoutSeconds { get; init; }
}
