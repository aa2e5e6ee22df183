namespace WasmMesh.Kubernetes;

/// <summary>What an <see cref="InformerEvent{T}"/> reports.</summary>
public enum InformerEventType
{
    /// <summary>The object entered the cache (also sent for every cached object when a subscription starts).</summary>
    Added,

    /// <summary>The object changed.</summary>
    Updated,

    /// <summary>The object left the cache; <see cref="InformerEvent{T}.Object"/> is its last known state.</summary>
    Deleted,

    /// <summary>A periodic re-announcement of an unchanged object.</summary>
    Resync,
}
