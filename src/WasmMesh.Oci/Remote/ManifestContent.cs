namespace WasmMesh.Oci;

/// <summary>A manifest as fetched: its bytes (verified against <see cref="Digest"/>), media type and digest.</summary>
internal sealed record ManifestContent(byte[] Bytes, string? MediaType, Digest Digest);
