namespace WasmMesh.Oci;

/// <summary>
/// Pushes, pulls, resolves and inspects wasm modules in OCI registries. Reads every layout in the wild
/// (<see cref="WasmLayout"/>) and image indexes; writes the compat image or the wasme artifact.
/// Registered by <c>services.AddWasmMeshOci()</c>.
/// </summary>
/// <remarks>
/// When <c>credentials</c> is <see langword="null"/>, the registered <see cref="IRegistryCredentialProvider"/>
/// is asked (anonymous by default). Loopback registries (127.0.0.0/8, ::1, localhost) are tried over HTTPS first
/// and fall back to plain HTTP, as docker does; see <see cref="OciClientOptions"/> for other registries.
/// </remarks>
public interface IWasmRegistryClient
{
    /// <summary>Resolves a reference (a tag) to the digest of the manifest or index it names.</summary>
    /// <param name="reference">The reference.</param>
    /// <param name="credentials">Credentials, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The manifest digest.</returns>
    Task<Digest> ResolveAsync(ImageReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fetches the manifest (following an index), recognises the layout, checks the size limit and the wasm magic,
    /// and returns the module as a verified stream.
    /// </summary>
    /// <param name="reference">The reference.</param>
    /// <param name="credentials">Credentials, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The pull; dispose it.</returns>
    Task<WasmPullResult> PullAsync(ImageReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>Pushes a module file. Refuses a file that is not a wasm module before contacting the registry.</summary>
    /// <param name="reference">Where to push (a tag, or a digest that must match).</param>
    /// <param name="wasmFilePath">The module file.</param>
    /// <param name="options">The layout, annotations and credentials.</param>
    /// <param name="progress">Receives upload progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <returns>The manifest digest and module digest.</returns>
    Task<WasmPushResult> PushAsync(ImageReference reference, string wasmFilePath, WasmPushOptions options, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Pulls a module without storing it and reports its layout, digests, size and exports.</summary>
    /// <param name="reference">The reference.</param>
    /// <param name="credentials">Credentials, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What was found.</returns>
    Task<WasmInspectResult> InspectAsync(ImageReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>Checks that a registry accepts credentials (as <c>docker login</c> does) by calling <c>/v2/</c> with them.</summary>
    /// <param name="registry">The registry host (with port).</param>
    /// <param name="credentials">The credentials.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that fails with <see cref="RegistryException"/> when they are refused.</returns>
    Task CheckCredentialsAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken = default);
}
