namespace WasmMesh.Kubernetes;

/// <summary>Options of a create, replace or patch request.</summary>
public sealed record WriteOptions
{
    /// <summary>The field manager recorded for the fields this request sets; null for the client default.</summary>
    public string? FieldManager { get; init; }

    /// <summary>Validate and return the result without persisting it.</summary>
    public bool DryRun { get; init; }
}
