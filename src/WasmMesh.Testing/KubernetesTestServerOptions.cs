namespace WasmMesh.Testing;

/// <summary>Options of the <see cref="KubernetesTestServer"/>.</summary>
public sealed record KubernetesTestServerOptions
{
    /// <summary>The TCP port on 127.0.0.1; 0 picks a free port. Default: 0.</summary>
    public int Port { get; init; }

    /// <summary>
    /// A file the server loads its objects from at start and saves them to after every change (debounced);
    /// null keeps everything in memory. Default: null.
    /// </summary>
    public string? PersistencePath { get; init; }

    /// <summary>How often an idle watch that asked for bookmarks receives one. Default: 5 seconds.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many changes the server remembers for watches that resume from a resource version; older resource
    /// versions get 410 Gone. Default: 10,000.
    /// </summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>A bearer token every request must carry (it is written into the kubeconfig); null accepts anonymous requests. Default: null.</summary>
    public string? BearerToken { get; init; }

    /// <summary>The clock for creation and deletion timestamps and ages; null for the system clock. Default: null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>YAML manifests (e.g. CRDs) applied at start, as file paths. Default: none.</summary>
    public IReadOnlyList<string> ManifestPaths { get; init; } = [];
}
