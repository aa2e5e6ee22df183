namespace WasmMesh.Oci;

/// <summary>A place in a manifest that may hold the module.</summary>
/// <param name="Layout">The layout this place means.</param>
/// <param name="Layer">The layer.</param>
/// <param name="IsArchive">Whether the layer is a tar archive to search for <c>plugin.wasm</c> (else raw module bytes).</param>
/// <param name="IsGzip">Whether the archive is gzip-compressed.</param>
/// <param name="Probe">
/// Whether raw bytes are the module only if they start with the wasm magic (another place is tried otherwise);
/// without it, a raw layer that is not a module is an error.
/// </param>
internal sealed record LayoutMatch(WasmLayout Layout, Descriptor Layer, bool IsArchive, bool IsGzip, bool Probe = false);
