using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.Oci;

/// <summary>The raw content client behind <see cref="IOciContentClient"/>.</summary>
internal sealed class OciContentClient : IOciContentClient
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly OciClientOptions _options;
    private readonly IRegistryCredentialProvider _credentialProvider;
    private readonly ILogger<OciContentClient> _logger;
    private readonly RegistryEndpointResolver _endpoints;
    private readonly TokenCache _tokens;

    public OciContentClient(IHttpClientFactory httpClientFactory, IOptions<OciClientOptions> options, IRegistryCredentialProvider credentialProvider, TimeProvider timeProvider, ILogger<OciContentClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _credentialProvider = credentialProvider;
        _logger = logger;
        _endpoints = new RegistryEndpointResolver(_options, logger);
        _tokens = new TokenCache(timeProvider);
    }

    public async Task<OciManifestContent?> TryGetManifestAsync(ImageReference repository, string reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var session = await OpenAsync(repository, credentials, push: false, cancellationToken).ConfigureAwait(false);
        ManifestContent content;
        try
        {
            content = await session.GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.IsNotFound)
        {
            return null;
        }

        return new OciManifestContent(content.Bytes, MediaTypeOf(content.Bytes, content.MediaType, $"{repository.Registry}/{repository.Repository}:{reference}"), content.Digest);
    }

    public async Task<Digest> PutManifestAsync(ImageReference repository, string reference, ReadOnlyMemory<byte> content, string mediaType, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        if (content.Length > _options.MaxManifestSize)
        {
            throw new SizeLimitExceededException(_options.MaxManifestSize, $"manifest for {repository.Registry}/{repository.Repository}:{reference}", content.Length);
        }

        var session = await OpenAsync(repository, credentials, push: true, cancellationToken).ConfigureAwait(false);
        var bytes = content.ToArray();
        if (Digest.TryParse(reference, out var pinned) && pinned != Digest.ComputeSha256(bytes))
        {
            throw new DigestMismatchException(pinned, Digest.ComputeSha256(bytes), $"manifest for {repository.Registry}/{repository.Repository}");
        }

        return await session.PutManifestAsync(reference, bytes, mediaType, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stream> OpenBlobAsync(ImageReference repository, Descriptor descriptor, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(descriptor);
        var session = await OpenAsync(repository, credentials, push: false, cancellationToken).ConfigureAwait(false);
        return await session.OpenBlobAsync(descriptor, _options.MaxBlobSize, cancellationToken).ConfigureAwait(false);
    }

    public async Task PushBlobAsync(ImageReference repository, Descriptor descriptor, Func<Stream> open, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(open);
        if (descriptor.Size > _options.MaxBlobSize)
        {
            throw new SizeLimitExceededException(_options.MaxBlobSize, $"blob {descriptor.Digest}", descriptor.Size);
        }

        var session = await OpenAsync(repository, credentials, push: true, cancellationToken).ConfigureAwait(false);
        await session.UploadBlobAsync(descriptor.Digest, descriptor.Size, open, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ImageIndex?> GetReferrersAsync(ImageReference repository, Digest subject, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var session = await OpenAsync(repository, credentials, push: false, cancellationToken).ConfigureAwait(false);
        var content = await session.GetReferrersAsync(subject, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(content.Bytes, SupplyChainJsonContext.Default.ImageIndex)
                ?? throw new InvalidManifestException($"referrers of {subject}", "the document is null");
        }
        catch (JsonException e)
        {
            throw new InvalidManifestException($"referrers of {subject} in {repository.Registry}/{repository.Repository}", $"not a valid image index: {e.Message}", e);
        }
    }

    /// <summary>The media type of a manifest: its own <c>mediaType</c>, else the Content-Type, else guessed from its shape.</summary>
    internal static string MediaTypeOf(byte[] bytes, string? header, string subject)
    {
        ManifestProbe? probe;
        try
        {
            probe = JsonSerializer.Deserialize(bytes, SupplyChainJsonContext.Default.ManifestProbe);
        }
        catch (JsonException e)
        {
            throw new InvalidManifestException(subject, $"not valid JSON: {e.Message}", e);
        }

        if (probe?.MediaType is { Length: > 0 } own)
        {
            return own;
        }

        if (header is { Length: > 0 } && MediaTypes.AllManifests.Contains(header))
        {
            return header;
        }

        return probe?.Manifests is not null ? MediaTypes.OciIndex : MediaTypes.OciManifest;
    }

    private async Task<RegistrySession> OpenAsync(ImageReference repository, RegistryCredentials? credentials, bool push, CancellationToken cancellationToken)
    {
        credentials ??= await _credentialProvider.GetCredentialsAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        return new RegistrySession(_httpClientFactory.CreateClient(OciHttp.ClientName), _options, _endpoints, _tokens, repository, credentials, push, _logger);
    }
}
