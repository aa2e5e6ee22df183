namespace WasmMesh.Oci;

/// <summary>
/// Saves modules from a registry into an OCI image layout tar (the format of <c>oras backup</c> and
/// <c>skopeo copy oci-archive:</c>) and loads such an archive into a registry, preserving every digest.
/// Registered by <c>services.AddWasmMeshOci()</c>.
/// </summary>
/// <remarks>
/// The archive holds <c>oci-layout</c>, <c>blobs/sha256/&lt;hex&gt;</c> and <c>index.json</c>, whose entries carry each
/// tag as the <c>org.opencontainers.image.ref.name</c> annotation. The output file appears only when complete.
/// Every blob is verified against its digest while it is copied.
/// </remarks>
public interface IOciArchiveClient
{
    /// <summary>Writes the manifests the references name (following indexes), their blobs, and optionally their signatures, to a tar file.</summary>
    /// <param name="references">What to save; tags become <c>org.opencontainers.image.ref.name</c>.</param>
    /// <param name="outputPath">The tar file to write; replaced only when the archive is complete.</param>
    /// <param name="withSignatures">Also save cosign signatures (<c>sha256-&lt;hex&gt;.sig</c>) and sigstore bundle referrers.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>What was saved.</returns>
    Task<OciArchiveResult> SaveAsync(IReadOnlyList<ImageReference> references, string outputPath, bool withSignatures, CancellationToken cancellationToken = default);

    /// <summary>Pushes every manifest and blob of an OCI image layout (a tar file or a directory) to one repository, tags included.</summary>
    /// <param name="archivePath">The tar file or layout directory.</param>
    /// <param name="repository">The target registry and repository (no tag or digest).</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>What was loaded.</returns>
    /// <exception cref="InvalidArchiveException">The archive is malformed or incomplete; nothing was pushed.</exception>
    Task<OciArchiveResult> LoadAsync(string archivePath, ImageReference repository, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IOciArchiveClient"/> saved or loaded.</summary>
/// <param name="Entries">The top-level manifests: their tag (or <see langword="null"/>) and digest, in index order.</param>
/// <param name="BlobCount">How many distinct blobs (manifests included) were copied.</param>
/// <param name="Bytes">How many bytes of blobs were copied.</param>
public sealed record OciArchiveResult(IReadOnlyList<OciArchiveEntry> Entries, int BlobCount, long Bytes);

/// <summary>One top-level manifest of an archive.</summary>
/// <param name="Tag">Its <c>org.opencontainers.image.ref.name</c>, or <see langword="null"/>.</param>
/// <param name="Digest">The manifest digest.</param>
/// <param name="MediaType">The manifest media type.</param>
public sealed record OciArchiveEntry(string? Tag, Digest Digest, string MediaType);
