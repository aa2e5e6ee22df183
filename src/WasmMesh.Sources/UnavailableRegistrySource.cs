namespace WasmMesh.Sources;

/// <summary>Placeholder registry source used until the OCI client is wired.</summary>
internal sealed class UnavailableRegistrySource : IRegistryModuleSource
{
    public Task<Digest> ResolveAsync(ImageReference image, ReadOnlyMemory<byte> pullSecret, CancellationToken cancellationToken)
        => throw new WasmSourceException(WasmSourceKind.Registry, image.ToString(), "registry sources are not available in this build", isTransient: false);

    public Task<RegistryModule> PullAsync(ImageReference image, ReadOnlyMemory<byte> pullSecret, CancellationToken cancellationToken)
        => throw new WasmSourceException(WasmSourceKind.Registry, image.ToString(), "registry sources are not available in this build", isTransient: false);
}
