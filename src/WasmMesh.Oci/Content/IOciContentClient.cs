namespace WasmMesh.Oci;

/// <summary>
/// Moves raw OCI content (manifests, blobs, referrers) between a registry and the caller, byte for byte, so
/// digests are preserved. Used by signing, verification and the OCI image layout archive; registered by
/// <c>services.AddWasmMeshOci()</c> beside <see cref="IWasmRegistryClient"/> and sharing its options.
/// </summary>
/// <remarks>
/// Every call takes an <see cref="ImageReference"/> naming the registry and repository; its tag or digest is ignored
/// where a separate reference is passed. Manifests are limited to <see cref="OciClientOptions.MaxManifestSize"/>,
/// blobs to their descriptor's size and <see cref="OciClientOptions.MaxBlobSize"/>, and every digest is verified.
/// </remarks>
public interface IOciContentClient
{
    /// <summary>Fetches a manifest or index by tag or digest, verifying the digest when one is given.</summary>
    /// <param name="repository">The registry and repository.</param>
    /// <param name="reference">A tag or a digest.</param>
    /// <param name="credentials">Credentials, or <see langword="null"/> to ask the registered <see cref="IRegistryCredentialProvider"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The manifest, or <see langword="null"/> when the registry says it does not exist.</returns>
    Task<OciManifestContent?> TryGetManifestAsync(ImageReference repository, string reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>Stores a manifest under a tag or its digest and checks the digest the registry reports.</summary>
    /// <param name="repository">The registry and repository.</param>
    /// <param name="reference">A tag, or the manifest's digest.</param>
    /// <param name="content">The manifest bytes, stored as they are.</param>
    /// <param name="mediaType">The manifest media type.</param>
    /// <param name="credentials">Credentials, or <see langword="null"/> to ask the registered <see cref="IRegistryCredentialProvider"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The manifest digest.</returns>
    Task<Digest> PutManifestAsync(ImageReference repository, string reference, ReadOnlyMemory<byte> content, string mediaType, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>Opens a blob as a stream that fails past its declared size and verifies its digest at the end.</summary>
    /// <param name="repository">The registry and repository.</param>
    /// <param name="descriptor">The blob's descriptor.</param>
    /// <param name="credentials">Credentials, or <see langword="null"/> to ask the registered <see cref="IRegistryCredentialProvider"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stream; dispose it.</returns>
    Task<Stream> OpenBlobAsync(ImageReference repository, Descriptor descriptor, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>Uploads a blob unless the repository already has it.</summary>
    /// <param name="repository">The registry and repository.</param>
    /// <param name="descriptor">The blob's digest and size.</param>
    /// <param name="open">Opens the content; called at most once per upload attempt.</param>
    /// <param name="credentials">Credentials, or <see langword="null"/> to ask the registered <see cref="IRegistryCredentialProvider"/>.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>A task.</returns>
    Task PushBlobAsync(ImageReference repository, Descriptor descriptor, Func<Stream> open, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the manifests that refer to <paramref name="subject"/> through the referrers API (OCI 1.1).
    /// </summary>
    /// <param name="repository">The registry and repository.</param>
    /// <param name="subject">The referred-to manifest digest.</param>
    /// <param name="credentials">Credentials, or <see langword="null"/> to ask the registered <see cref="IRegistryCredentialProvider"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The referrers index, or <see langword="null"/> when the registry has no referrers API.</returns>
    Task<ImageIndex?> GetReferrersAsync(ImageReference repository, Digest subject, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);
}
