namespace WasmMesh.Oci;

/// <summary>A registry says a manifest (a tag or a digest) does not exist in a repository.</summary>
public sealed class ManifestNotFoundException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reference">What was looked for.</param>
    /// <param name="hint">What the user can do, appended to the message.</param>
    public ManifestNotFoundException(string reference, string? hint = null)
        : base($"{reference}: not found in the registry" + (hint is null ? string.Empty : $"; {hint}"))
    {
        Reference = reference;
    }

    /// <summary>What was looked for.</summary>
    public string Reference { get; }
}
