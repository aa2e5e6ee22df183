namespace WasmMesh.Sources;

/// <summary>Where a module comes from.</summary>
public enum WasmSourceKind
{
    /// <summary>An image in an OCI registry.</summary>
    Registry,

    /// <summary>A public object URL (http or https).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The AutoWasm spec names this source 'object'.")]
    Object,
}
