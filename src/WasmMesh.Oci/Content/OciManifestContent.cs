namespace WasmMesh.Oci;

/// <summary>A manifest or index as the registry stored it.</summary>
/// <param name="Content">The exact bytes; their sha256 is <paramref name="Digest"/>.</param>
/// <param name="MediaType">The media type: the document's <c>mediaType</c>, else the response's Content-Type.</param>
/// <param name="Digest">The digest of <paramref name="Content"/>.</param>
public sealed record OciManifestContent(ReadOnlyMemory<byte> Content, string MediaType, Digest Digest)
{
    /// <summary>A descriptor for this manifest.</summary>
    /// <returns>The descriptor.</returns>
    public Descriptor ToDescriptor() => new() { MediaType = MediaType, Digest = Digest, Size = Content.Length };

    /// <summary>Whether this is an image index or Docker manifest list.</summary>
    public bool IsIndex => MediaTypes.IsIndex(MediaType);
}
