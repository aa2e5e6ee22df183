namespace WasmMesh.Kubernetes;

/// <summary>The kind of a PATCH body.</summary>
public enum KubernetesPatchType
{
    /// <summary>RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>).</summary>
    Merge,

    /// <summary>RFC 6902 JSON patch (<c>application/json-patch+json</c>).</summary>
    Json,

    /// <summary>Kubernetes strategic merge patch (<c>application/strategic-merge-patch+json</c>); built-in kinds only.</summary>
    StrategicMerge,

    /// <summary>Server-side apply (<c>application/apply-patch+yaml</c>); needs a field manager.</summary>
    Apply,
}
