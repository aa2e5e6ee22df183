namespace WasmMesh.Oci;

/// <summary>Finds credentials for a registry when the caller passes none.</summary>
public interface IRegistryCredentialProvider
{
    /// <summary>Returns the credentials for a registry, or <see langword="null"/> for anonymous access.</summary>
    /// <param name="registry">The registry as written in references, e.g. <c>docker.io</c> or <c>127.0.0.1:5000</c>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The credentials, or <see langword="null"/>.</returns>
    ValueTask<RegistryCredentials?> GetCredentialsAsync(string registry, CancellationToken cancellationToken = default);
}
