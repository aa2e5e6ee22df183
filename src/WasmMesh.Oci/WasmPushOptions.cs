namespace WasmMesh.Oci;

/// <summary>How to push a module.</summary>
public sealed record WasmPushOptions
{
    /// <summary>The layout to write. Default <see cref="WasmPushFormat.Image"/>.</summary>
    public WasmPushFormat Format { get; init; } = WasmPushFormat.Image;

    /// <summary>Manifest annotations to add (written sorted by key, so pushes are reproducible). Default none.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Credentials; <see langword="null"/> to use the registered <see cref="IRegistryCredentialProvider"/>.</summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>The image config's <c>os</c> for <see cref="WasmPushFormat.Image"/>. Default <c>linux</c>, as <c>docker build</c> FROM scratch writes.</summary>
    public string ImageOS { get; init; } = "linux";

    /// <summary>The image config's <c>architecture</c> for <see cref="WasmPushFormat.Image"/>. Default <c>amd64</c>.</summary>
    public string ImageArchitecture { get; init; } = "amd64";
}
