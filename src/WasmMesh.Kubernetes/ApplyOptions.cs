namespace WasmMesh.Kubernetes;

/// <summary>Options of a server-side apply request.</summary>
public sealed record ApplyOptions
{
    /// <summary>The field manager that owns the applied fields (required by the server).</summary>
    public required string FieldManager { get; init; }

    /// <summary>Take ownership of fields other managers own instead of failing with a conflict.</summary>
    public bool Force { get; init; }

    /// <summary>Validate and return the result without persisting it.</summary>
    public bool DryRun { get; init; }
}
