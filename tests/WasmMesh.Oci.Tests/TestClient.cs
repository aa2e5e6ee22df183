using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WasmMesh.Oci.Tests;

/// <summary>An <see cref="IWasmRegistryClient"/> built through the real DI registration.</summary>
internal sealed class TestClient : IDisposable
{
    private readonly ServiceProvider _provider;

    public TestClient(Action<OciClientOptions>? configure = null, HttpMessageHandler? handler = null, IRegistryCredentialProvider? credentials = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (credentials is not null)
        {
            services.AddSingleton(credentials);
        }

        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddWasmMeshOci(configure);
        if (handler is not null)
        {
            services.AddHttpClient(OciHttp.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        }

        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Client = _provider.GetRequiredService<IWasmRegistryClient>();
    }

    public IWasmRegistryClient Client { get; }

    public static ImageReference Ref(string text) => ImageReference.Parse(text);

    /// <summary>Pushes arbitrary blobs and a manifest through the client's own session (for layouts other tools write).</summary>
    public async Task<Digest> PushRawAsync(ImageReference reference, IEnumerable<byte[]> blobs, byte[] manifest, string mediaType, RegistryCredentials? credentials = null)
    {
        var session = await ((WasmRegistryClient)Client).OpenSessionAsync(reference, credentials, push: true, TestContext.Current.CancellationToken);
        foreach (var blob in blobs)
        {
            await session.UploadBlobAsync(Digest.ComputeSha256(blob), blob.Length, () => new MemoryStream(blob), null, TestContext.Current.CancellationToken);
        }

        return await session.PutManifestAsync(reference.Tag ?? Digest.ComputeSha256(manifest).ToString(), manifest, mediaType, TestContext.Current.CancellationToken);
    }

    public void Dispose() => _provider.Dispose();
}
