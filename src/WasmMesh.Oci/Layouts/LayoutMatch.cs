namespace WasmMesh.Oci;

/// <summary>The layout recognised in a manifest and the layer that holds the module.</summary>
/// <param name="Layout">The layout.</param>
/// <param name="Layer">The layer holding the module.</param>
/// <param name="IsArchive">Whether the layer is a tar archive holding <c>plugin.wasm</c> (else raw module bytes).</param>
/// <param name="IsGzip">Whether the archive is gzip-compressed.</param>
internal sealed record LayoutMatch(WasmLayout Layout, Descriptor Layer, bool IsArchive, bool IsGzip);
