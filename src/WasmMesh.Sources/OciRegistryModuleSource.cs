using System.Net;
using System.Text;
using WasmMesh.Oci;

namespace WasmMesh.Sources;

/// <summary>Reads modules from OCI registries through <see cref="IWasmRegistryClient"/>; maps registry failures to <see cref="WasmSourceException"/>.</summary>
internal sealed class OciRegistryModuleSource(IWasmRegistryClient client) : IRegistryModuleSource
{
    public async Task<Digest> ResolveAsync(ImageReference image, ReadOnlyMemory<byte> pullSecret, CancellationToken cancellationToken)
    {
        var credentials = CredentialsFor(image, pullSecret);
        try
        {
            return await client.ResolveAsync(image, credentials, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(image, ex, pullSecret, credentials) is { } translated)
        {
            throw translated;
        }
    }

    public async Task<RegistryModule> PullAsync(ImageReference image, ReadOnlyMemory<byte> pullSecret, CancellationToken cancellationToken)
    {
        var credentials = CredentialsFor(image, pullSecret);
        WasmPullResult pull;
        try
        {
            pull = await client.PullAsync(image, credentials, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(image, ex, pullSecret, credentials) is { } translated)
        {
            throw translated;
        }

        return new RegistryModule(pull.ManifestDigest, pull.Layout.ToString(), new TranslatingStream(pull.Content, image), pull, () => pull.WasmSha256, pull.Reference.ToString());
    }

    /// <summary>The credentials a pull secret holds for the image's registry; <see langword="null"/> for anonymous (or the registered provider).</summary>
    internal static RegistryCredentials? CredentialsFor(ImageReference image, ReadOnlyMemory<byte> pullSecret)
    {
        if (pullSecret.IsEmpty)
        {
            return null;
        }

        try
        {
            var config = DockerConfigCredentials.FromDockerConfigJson(Encoding.UTF8.GetString(pullSecret.Span));
            return config.Find(image.Registry) ?? (image.ApiHost != image.Registry ? config.Find(image.ApiHost) : null);
        }
        catch (FormatException ex)
        {
            throw new WasmSourceException(WasmSourceKind.Registry, image.ToString(), $"the pull secret is not a valid .dockerconfigjson payload ({ex.Message})", isTransient: false);
        }
    }

    private static WasmSourceException? Translate(ImageReference image, Exception ex, ReadOnlyMemory<byte> pullSecret, RegistryCredentials? credentials)
    {
        if (ex is RegistryException { StatusCode: HttpStatusCode.Unauthorized } refused)
        {
            var (problem, reason) = pullSecret.IsEmpty
                ? (RegistryCredentialsProblem.NoPullSecret, $"the registry {image.Registry} requires authentication and no pull secret was given")
                : credentials is null
                    ? (RegistryCredentialsProblem.NoEntryForRegistry, $"the registry {image.Registry} requires authentication and the pull secret has no entry for {image.Registry}")
                    : (RegistryCredentialsProblem.Refused, $"the registry {image.Registry} refused the pull secret's credentials; check the user name and password in its entry for {image.Registry}");
            return new WasmSourceException(WasmSourceKind.Registry, image.ToString(), reason, refused.StatusCode, isTransient: false, innerException: refused)
            {
                CredentialsProblem = problem,
            };
        }

        return Translate(image, ex);
    }

    private static WasmSourceException? Translate(ImageReference image, Exception ex) => ex switch
    {
        RegistryException registry => new WasmSourceException(
            WasmSourceKind.Registry,
            image.ToString(),
            registry.Message,
            registry.StatusCode,
            isTransient: (int)registry.StatusCode >= 500 || registry.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout,
            innerException: registry),
        RegistryUnreachableException unreachable => new WasmSourceException(WasmSourceKind.Registry, image.ToString(), unreachable.Message, isTransient: true, innerException: unreachable),
        UnsupportedWasmLayoutException layout => new WasmSourceException(WasmSourceKind.Registry, image.ToString(), layout.Message, isTransient: false, innerException: layout),
        _ => null,
    };

    /// <summary>Passes the module bytes through, translating registry failures that surface while streaming.</summary>
    private sealed class TranslatingStream(Stream inner, ImageReference image) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (Exception ex) when (Translate(image, ex) is { } translated)
            {
                throw translated;
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Translate(image, ex) is { } translated)
            {
                throw translated;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
