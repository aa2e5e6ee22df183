namespace WasmMesh.Controllers;

/// <summary>What a reconciler is asked to do: bring the object named by <see cref="Key"/> to its desired state.</summary>
/// <param name="Key">The object's namespace and name. The object may no longer exist (it was deleted).</param>
public readonly record struct ReconcileRequest(ObjectKey Key)
{
    /// <summary>The object's namespace (empty for cluster-scoped objects).</summary>
    public string Namespace => Key.Namespace;

    /// <summary>The object's name.</summary>
    public string Name => Key.Name;

    /// <summary>The key as <c>namespace/name</c>.</summary>
    /// <returns>The key as text.</returns>
    public override string ToString() => Key.ToString();
}
