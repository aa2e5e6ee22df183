namespace WasmMesh.Sources;

/// <summary>Reads modules from OCI registries (the seam between the provider and the OCI client).</summary>
internal interface IRegistryModuleSource
{
    /// <summary>Resolves an image reference to its manifest digest.</summary>
    Task<Digest> ResolveAsync(ImageReference image, ReadOnlyMemory<byte> pullSecret, CancellationToken cancellationToken);

    /// <summary>Pulls the module an image holds.</summary>
    Task<RegistryModule> PullAsync(ImageReference image, ReadOnlyMemory<byte> pullSecret, CancellationToken cancellationToken);
}

/// <summary>
/// A pulled module: its manifest digest, the layout it was stored in, and the raw wasm bytes; when the source verifies
/// the bytes itself, <see cref="VerifiedSha256"/> names their sha256 once the end of <see cref="Content"/> was read,
/// so that they are not hashed a second time.
/// </summary>
internal sealed class RegistryModule(Digest manifestDigest, string layout, Stream content, IAsyncDisposable owner, Func<Digest?>? verifiedSha256 = null, string? fetchedFrom = null) : IAsyncDisposable
{
    /// <summary>The reference the bytes were pulled from (a mirror's, when a mirror served them).</summary>
    public string? FetchedFrom { get; } = fetchedFrom;

    public Func<Digest?>? VerifiedSha256 { get; } = verifiedSha256;

    public Digest ManifestDigest { get; } = manifestDigest;

    public string Layout { get; } = layout;

    public Stream Content { get; } = content;

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}
