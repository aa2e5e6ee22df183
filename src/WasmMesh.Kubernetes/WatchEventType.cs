namespace WasmMesh.Kubernetes;

/// <summary>The type of a watch event.</summary>
public enum WatchEventType
{
    /// <summary>The object was created (or already existed at the start of a watch without resource version).</summary>
    Added,

    /// <summary>The object changed.</summary>
    Modified,

    /// <summary>The object was deleted; the event carries its last state.</summary>
    Deleted,

    /// <summary>No change: the event carries only the latest resource version.</summary>
    Bookmark,
}
