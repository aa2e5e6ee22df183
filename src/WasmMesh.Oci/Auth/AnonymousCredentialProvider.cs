namespace WasmMesh.Oci;

/// <summary>The default provider: no stored credentials, so registries are accessed anonymously unless the caller passes credentials.</summary>
internal sealed class AnonymousCredentialProvider : IRegistryCredentialProvider
{
    public ValueTask<RegistryCredentials?> GetCredentialsAsync(string registry, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<RegistryCredentials?>(null);
}
