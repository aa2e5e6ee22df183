namespace WasmMesh.Oci;

/// <summary>A module written to a file by <see cref="WasmPullResult.SaveToFileAsync"/>.</summary>
public sealed record WasmFileResult
{
    /// <summary>The full path written.</summary>
    public required string Path { get; init; }

    /// <summary>The sha256 of the module.</summary>
    public required Digest Sha256 { get; init; }

    /// <summary>The module size in bytes.</summary>
    public required long Size { get; init; }
}
