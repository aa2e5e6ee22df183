namespace WasmMesh.Kubernetes;

/// <summary>Options of a delete request.</summary>
public sealed record DeleteOptions
{
    /// <summary>How dependents are handled: <c>Background</c>, <c>Foreground</c> or <c>Orphan</c>; null for the resource default.</summary>
    public string? PropagationPolicy { get; init; }

    /// <summary>Only delete when the object still has this uid.</summary>
    public string? PreconditionUid { get; init; }

    /// <summary>Only delete when the object still has this resource version.</summary>
    public string? PreconditionResourceVersion { get; init; }

    /// <summary>The grace period in seconds; null for the resource default.</summary>
    public long? GracePeriodSeconds { get; init; }

    /// <summary>Validate without deleting.</summary>
    public bool DryRun { get; init; }
}
