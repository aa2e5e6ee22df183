namespace WasmMesh.Kubernetes;

/// <summary>Options of an <see cref="Informer{T}"/>.</summary>
public sealed record InformerOptions
{
    /// <summary>The namespace to watch; null for all namespaces. Default: null.</summary>
    public string? Namespace { get; init; }

    /// <summary>A label selector restricting the cached objects. Default: null.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>A field selector restricting the cached objects. Default: null.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>The page size of (re)lists. Default: 500.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>
    /// The server-side watch timeout; each watch asks for a random value between this and twice this, then
    /// re-watches from the last resource version. Default: 5 minutes.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Reconnect when a watch delivers nothing (not even a bookmark) for this long: a silently dropped stream.
    /// Default: 3 minutes (API servers send bookmarks about every minute).
    /// </summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How often every cached object is re-announced with <see cref="InformerEventType.Resync"/>; null or zero
    /// disables it. Default: 10 hours (as controller-runtime).
    /// </summary>
    public TimeSpan? ResyncPeriod { get; init; } = TimeSpan.FromHours(10);

    /// <summary>The first delay after a failed list or watch; doubles up to <see cref="MaxBackoff"/>. Default: 1 second.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between failed attempts. Default: 30 seconds.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
