using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace WasmMesh.Oci;

/// <summary>
/// One conversation with one repository of one registry: endpoint resolution, authentication (anonymous,
/// Basic, Bearer with tokens cached per scope), redirects, error parsing, and the Distribution API calls.
/// </summary>
internal sealed class RegistrySession
{
    private const int MaxRedirects = 5;
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>The largest token response read from a token service (real ones are a few KiB).</summary>
    internal const int MaxTokenResponseSize = 4 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly OciClientOptions _options;
    private readonly RegistryEndpointResolver _endpoints;
    private readonly TokenCache _tokens;
    private readonly RegistryCredentials? _credentials;
    private readonly ILogger _logger;
    private readonly string _scope;
    private Uri? _base;
    private AuthenticationHeaderValue? _authorization;

    public RegistrySession(HttpClient http, OciClientOptions options, RegistryEndpointResolver endpoints, TokenCache tokens, ImageReference reference, RegistryCredentials? credentials, bool push, ILogger logger)
    {
        _http = http;
        _options = options;
        _endpoints = endpoints;
        _tokens = tokens;
        Reference = reference;
        _credentials = credentials;
        _logger = logger;
        _scope = $"repository:{reference.Repository}:{(push ? "pull,push" : "pull")}";
        if (_tokens.TryGet(TokenCache.Key(reference.Registry, _scope, credentials), out var token))
        {
            _authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public ImageReference Reference { get; }

    private string Repository => Reference.Repository;

    /// <summary>Says what went wrong in an HTTP failure, with a hint for TLS problems; never a URL query.</summary>
    public static string Describe(Exception error)
    {
        var messages = new List<string>();
        var tls = false;
        for (var e = error; e is not null; e = e.InnerException)
        {
            tls |= e is AuthenticationException;
            if (!string.IsNullOrWhiteSpace(e.Message) && !e.Message.Contains("see inner exception", StringComparison.OrdinalIgnoreCase) && !messages.Contains(e.Message))
            {
                messages.Add(e.Message.TrimEnd('.'));
            }
        }

        var text = messages.Count == 0 ? error.GetType().Name : string.Join(": ", messages);
        return tls
            ? $"TLS handshake failed ({text}); trust the registry's CA with --ca-file (CaFile), or skip verification with --insecure"
            : text;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(b => new HttpRequestMessage(HttpMethod.Get, new Uri(b, "/v2/")), false, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<ManifestContent> GetManifestAsync(string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(b => ManifestRequest(HttpMethod.Get, b, reference), true, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var subject = $"manifest {Reference.Registry}/{Repository}:{reference}";
        if (response.Content.Headers.ContentLength > _options.MaxManifestSize)
        {
            throw new SizeLimitExceededException(_options.MaxManifestSize, subject, response.Content.Headers.ContentLength);
        }

        var expected = Digest.TryParse(reference, out var pinned) ? pinned : (Digest?)null;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var hashing = new HashingReadStream(IdleLimited(stream, subject), subject, expected, _options.MaxManifestSize);
        await using (hashing.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await hashing.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            var digest = hashing.ComputedDigest ?? await hashing.DrainAsync(cancellationToken).ConfigureAwait(false);
            CheckDigestHeader(response, digest, subject);
            return new ManifestContent(buffer.ToArray(), response.Content.Headers.ContentType?.MediaType, digest);
        }
    }

    /// <summary>
    /// Lists the referrers of a manifest (<c>GET /v2/&lt;repo&gt;/referrers/&lt;digest&gt;</c>, OCI 1.1);
    /// <see langword="null"/> when the registry has no referrers API (404), so the caller uses the tag fallback.
    /// </summary>
    public async Task<ManifestContent?> GetReferrersAsync(Digest subject, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            b =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, new Uri(b, $"/v2/{Repository}/referrers/{subject}"));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
                return request;
            },
            true,
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var what = $"referrers of {subject} in {Reference.Registry}/{Repository}";
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var hashing = new HashingReadStream(IdleLimited(stream, what), what, null, _options.MaxManifestSize);
        await using (hashing.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await hashing.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new ManifestContent(buffer.ToArray(), response.Content.Headers.ContentType?.MediaType, hashing.ComputedDigest ?? Digest.ComputeSha256(buffer.ToArray()));
        }
    }

    public async Task<Digest> ResolveManifestAsync(string reference, CancellationToken cancellationToken)
    {
        using (var response = await SendAsync(b => ManifestRequest(HttpMethod.Head, b, reference), true, cancellationToken).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.Headers.TryGetValues("Docker-Content-Digest", out var values)
                && Digest.TryParse(values.FirstOrDefault(), out var digest))
            {
                return digest;
            }
        }

        return (await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false)).Digest;
    }

    public async Task<Digest> PutManifestAsync(string reference, byte[] manifest, string mediaType, CancellationToken cancellationToken)
    {
        var digest = Digest.ComputeSha256(manifest);
        using var response = await SendAsync(
            b =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, ManifestUri(b, reference)) { Content = new ByteArrayContent(manifest) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                return request;
            },
            false,
            cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        CheckDigestHeader(response, digest, $"manifest {Reference.Registry}/{Repository}:{reference}");
        return digest;
    }

    public async Task<bool> BlobExistsAsync(Digest digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(b => new HttpRequestMessage(HttpMethod.Head, BlobUri(b, digest)), true, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Opens a blob for streaming. The declared size is checked against <paramref name="limit"/> before the
    /// request; the stream throws past the declared size and verifies the digest at its end.
    /// </summary>
    public async Task<HashingReadStream> OpenBlobAsync(Descriptor descriptor, long limit, CancellationToken cancellationToken)
    {
        var subject = $"blob {descriptor.Digest} in {Reference.Registry}/{Repository}";
        if (descriptor.Size > limit)
        {
            throw new SizeLimitExceededException(limit, subject, descriptor.Size);
        }

        if (descriptor.Size < 0)
        {
            throw new InvalidManifestException(subject, $"the declared size {descriptor.Size} is negative");
        }

        var response = await SendAsync(b => new HttpRequestMessage(HttpMethod.Get, BlobUri(b, descriptor.Digest)), true, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength is { } length && length > descriptor.Size)
            {
                throw new SizeLimitExceededException(descriptor.Size, subject, length);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new HashingReadStream(new ResponseStream(response, IdleLimited(body, subject), Reference.Registry, subject), subject, descriptor.Digest, descriptor.Size);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Uploads a blob unless the registry has it: POST then one PUT, or PATCH chunks then PUT for large blobs.</summary>
    public async Task UploadBlobAsync(Digest digest, long size, Func<Stream> open, Action<long>? progress, CancellationToken cancellationToken)
    {
        if (await BlobExistsAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            Log.BlobExists(_logger, digest, Reference.Registry, Repository);
            progress?.Invoke(size);
            return;
        }

        Uri location;
        using (var start = await SendAsync(b => new HttpRequestMessage(HttpMethod.Post, new Uri(b, $"/v2/{Repository}/blobs/uploads/")) { Content = new ByteArrayContent([]) }, false, cancellationToken).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(start, cancellationToken).ConfigureAwait(false);
            location = UploadLocation(start);
        }

        if (size <= _options.MonolithicUploadLimit)
        {
            using var put = await SendAsync(
                _ => new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = StreamBody(new BoundedReadStream(open(), size, true, "upload", false, progress), size) },
                false,
                cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(put, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var source = open();
            await using (source.ConfigureAwait(false))
            {
                for (long offset = 0; offset < size;)
                {
                    var chunk = Math.Min(_options.UploadChunkSize, size - offset);
                    var first = offset;
                    var target = location;
                    using var patch = await SendAsync(
                        _ =>
                        {
                            var request = new HttpRequestMessage(HttpMethod.Patch, target) { Content = StreamBody(new BoundedReadStream(source, chunk, true, "upload", true, progress), chunk) };
                            request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{first}-{first + chunk - 1}");
                            return request;
                        },
                        false,
                        cancellationToken).ConfigureAwait(false);
                    await EnsureSuccessAsync(patch, cancellationToken).ConfigureAwait(false);
                    location = UploadLocation(patch);
                    offset += chunk;
                }
            }

            using var put = await SendAsync(_ => new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = new ByteArrayContent([]) }, false, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(put, cancellationToken).ConfigureAwait(false);
        }

        Log.BlobUploaded(_logger, digest, size, Reference.Registry, Repository);
        OciMetrics.BytesUploaded.Add(size);
    }

    /// <summary>
    /// Uploads a blob whose bytes are produced while they are sent: one streamed PATCH (chunked transfer encoding, no
    /// length known up front), then the PUT that commits it under the digest the producer computed. The producer runs
    /// again if the registry asks for the body a second time (an authentication retry).
    /// </summary>
    /// <param name="produce">Writes the blob to the request body and returns its digest and size.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The blob's digest and size, as produced.</returns>
    public async Task<(Digest Digest, long Size)> UploadProducedBlobAsync(Func<Stream, CancellationToken, Task<(Digest Digest, long Size)>> produce, CancellationToken cancellationToken)
    {
        Uri location;
        using (var start = await SendAsync(b => new HttpRequestMessage(HttpMethod.Post, new Uri(b, $"/v2/{Repository}/blobs/uploads/")) { Content = new ByteArrayContent([]) }, false, cancellationToken).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(start, cancellationToken).ConfigureAwait(false);
            location = UploadLocation(start);
        }

        (Digest Digest, long Size)? produced = null;
        var target = location;
        using (var patch = await SendAsync(
            _ => new HttpRequestMessage(HttpMethod.Patch, target) { Content = new ProducedContent(async (stream, token) => produced = await produce(stream, token).ConfigureAwait(false)) },
            false,
            cancellationToken).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(patch, cancellationToken).ConfigureAwait(false);
            location = UploadLocation(patch);
        }

        var (digest, size) = produced ?? throw new InvalidOperationException("the registry accepted the upload without reading its body");
        using (var put = await SendAsync(_ => new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = new ByteArrayContent([]) }, false, cancellationToken).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(put, cancellationToken).ConfigureAwait(false);
        }

        Log.BlobUploaded(_logger, digest, size, Reference.Registry, Repository);
        OciMetrics.BytesUploaded.Add(size);
        return (digest, size);
    }

    private static StreamContent StreamBody(Stream stream, long size)
    {
        var content = new StreamContent(stream, 81920);
        content.Headers.ContentLength = size;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static Uri WithDigest(Uri location, Digest digest)
    {
        var builder = new UriBuilder(location);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : string.Empty) + "digest=" + Uri.EscapeDataString(digest.ToString());
        return builder.Uri;
    }

    private static Uri UploadLocation(HttpResponseMessage response)
    {
        var location = response.Headers.Location
            ?? throw new RegistryException(response.StatusCode, response.RequestMessage!.Method.Method, response.RequestMessage.RequestUri!, [], "the registry sent no upload Location header");
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private static void CheckDigestHeader(HttpResponseMessage response, Digest computed, string subject)
    {
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            && Digest.TryParse(values.FirstOrDefault(), out var declared)
            && declared.Algorithm == computed.Algorithm
            && declared != computed)
        {
            throw new DigestMismatchException(declared, computed, subject);
        }
    }

    private HttpRequestMessage ManifestRequest(HttpMethod method, Uri baseUri, string reference)
    {
        var request = new HttpRequestMessage(method, ManifestUri(baseUri, reference));
        foreach (var type in MediaTypes.AllManifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return request;
    }

    private Uri ManifestUri(Uri baseUri, string reference) => new(baseUri, $"/v2/{Repository}/manifests/{reference}");

    /// <summary>A response body that fails when it stalls for the idle timeout, with an error naming the registry, what was read and the setting.</summary>
    private IdleTimeoutReadStream IdleLimited(Stream body, string subject)
        => new(body, _options.IdleReadTimeout, e => new RegistryUnreachableException(Reference.Registry, $"no data received for {HttpTimeouts.Seconds(_options.IdleReadTimeout)} while reading {subject} (the IdleReadTimeout option); check that the registry answers", e));

    private RegistryUnreachableException TimedOut(HttpRequestMessage request, HttpTimeoutPhase phase, Exception cancellation)
    {
        var what = $"{request.Method} {RegistryException.StripQuery(request.RequestUri!)} for repository {Repository}";
        return new RegistryUnreachableException(
            Reference.Registry,
            phase == HttpTimeoutPhase.AwaitingHeaders
                ? $"no response headers within {HttpTimeouts.Seconds(_options.ResponseHeaderTimeout)} to {what} (the ResponseHeaderTimeout option); check that the registry answers"
                : $"sending {what} made no progress for {HttpTimeouts.Seconds(_options.IdleReadTimeout)} (the IdleReadTimeout option); check that the registry accepts uploads",
            cancellation);
    }

    private Uri BlobUri(Uri baseUri, Digest digest) => new(baseUri, $"/v2/{Repository}/blobs/{digest}");

    /// <summary>Sends a request built by <paramref name="create"/>, answering one authentication challenge.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<Uri, HttpRequestMessage> create, bool followRedirects, CancellationToken cancellationToken)
    {
        _base ??= await _endpoints.ResolveAsync(_http, Reference, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var request = create(_base);
            request.Headers.Authorization = _authorization;
            request.Headers.UserAgent.TryParseAdd(_options.UserAgent);
            var response = await SendFollowingAsync(request, followRedirects, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
            {
                return response;
            }

            var challenge = AuthChallenge.Select(response.Headers.WwwAuthenticate);
            var authorization = challenge is null ? null : await AuthenticateAsync(challenge, cancellationToken).ConfigureAwait(false);
            if (authorization is null || (_authorization is not null && authorization.Scheme == _authorization.Scheme && authorization.Parameter == _authorization.Parameter))
            {
                return response;
            }

            response.Dispose();
            _authorization = authorization;
        }
    }

    private async Task<HttpResponseMessage> SendFollowingAsync(HttpRequestMessage request, bool followRedirects, CancellationToken cancellationToken)
    {
        var current = request;
        for (var hop = 0; ; hop++)
        {
            HttpResponseMessage response;
            try
            {
                var sending = current;
                response = await HttpTimeouts.SendAsync(_http, sending, _options.ResponseHeaderTimeout, _options.IdleReadTimeout, (phase, e) => TimedOut(sending, phase, e), cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new RegistryUnreachableException(Reference.Registry, Describe(e), e);
            }
            finally
            {
                // The body has been sent (or failed); release upload streams now rather than at collection.
                current.Content?.Dispose();
            }

            var status = (int)response.StatusCode;
            if (!followRedirects || status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is null)
            {
                return response;
            }

            if (hop >= MaxRedirects)
            {
                response.Dispose();
                throw new RegistryUnreachableException(Reference.Registry, $"more than {MaxRedirects} redirects for {RegistryException.StripQuery(request.RequestUri!)}", null);
            }

            var target = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(current.RequestUri!, response.Headers.Location);
            response.Dispose();
            var sameOrigin = Uri.Compare(target, current.RequestUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
            var next = new HttpRequestMessage(current.Method == HttpMethod.Head ? HttpMethod.Head : HttpMethod.Get, target);
            foreach (var accept in current.Headers.Accept)
            {
                next.Headers.Accept.Add(accept);
            }

            next.Headers.UserAgent.TryParseAdd(_options.UserAgent);
            if (sameOrigin)
            {
                next.Headers.Authorization = current.Headers.Authorization;
            }

            Log.Redirect(_logger, current.Method.Method, target.Host, sameOrigin ? "kept" : "dropped");
            current = next;
        }
    }

    private async Task<AuthenticationHeaderValue?> AuthenticateAsync(AuthChallenge challenge, CancellationToken cancellationToken)
    {
        if (challenge.IsBasic)
        {
            return _credentials is null ? null : new AuthenticationHeaderValue("Basic", _credentials.ToBasicAuth());
        }

        var scopes = new List<string> { _scope };
        if (challenge.Scope is { Length: > 0 } extra && !scopes.Contains(extra))
        {
            scopes.Add(extra);
        }

        var scope = string.Join(' ', scopes);
        var key = TokenCache.Key(Reference.Registry, scope, _credentials);
        if (!_tokens.TryGet(key, out var token) || (_authorization?.Parameter == token))
        {
            var (fresh, lifetime) = await FetchTokenAsync(challenge, scopes, cancellationToken).ConfigureAwait(false);
            _tokens.Set(key, fresh, TimeSpan.FromSeconds(lifetime));
            if (scope != _scope)
            {
                _tokens.Set(TokenCache.Key(Reference.Registry, _scope, _credentials), fresh, TimeSpan.FromSeconds(lifetime));
            }

            Log.TokenFetched(_logger, Reference.Registry, scope);
            return new AuthenticationHeaderValue("Bearer", fresh);
        }

        return new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<(string Token, int Lifetime)> FetchTokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
        {
            throw new RegistryUnreachableException(Reference.Registry, "the registry's Bearer challenge has no valid realm URL", null);
        }

        var query = new StringBuilder(realm.Query.TrimStart('?'));
        void Add(string name, string value) => query.Append(query.Length > 0 ? "&" : string.Empty).Append(name).Append('=').Append(Uri.EscapeDataString(value));
        if (challenge.Service is { } service)
        {
            Add("service", service);
        }

        foreach (var scope in scopes)
        {
            Add("scope", scope);
        }

        var uri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.UserAgent.TryParseAdd(_options.UserAgent);
        if (_credentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _credentials.ToBasicAuth());
        }

        // Headers only: the body is read through a size limit, never buffered whole (the realm is any host a user names).
        using var response = await SendFollowingAsync(request, false, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await ThrowAsync(response, response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? "the token service refused the credentials; check the user name and password (wasmc login, or the pull secret)"
                : "the registry's token service failed", cancellationToken).ConfigureAwait(false);
        }

        var subject = $"the token response of {realm.Host}";
        if (response.Content.Headers.ContentLength > MaxTokenResponseSize)
        {
            throw new SizeLimitExceededException(MaxTokenResponseSize, subject, response.Content.Headers.ContentLength);
        }

        TokenResponse? body;
        try
        {
            var stream = new BoundedReadStream(IdleLimited(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), $"{subject} for repository {Repository}"), MaxTokenResponseSize, false, subject, leaveOpen: false);
            await using (stream.ConfigureAwait(false))
            {
                body = await JsonSerializer.DeserializeAsync(stream, OciJsonContext.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new RegistryUnreachableException(Reference.Registry, $"the connection broke while reading {subject} ({Describe(e)})", e);
        }
        catch (JsonException e)
        {
            throw new RegistryUnreachableException(Reference.Registry, $"the token service at {realm.Host} returned invalid JSON", e);
        }

        var token = body?.Token is { Length: > 0 } t ? t : body?.AccessToken;
        if (string.IsNullOrEmpty(token))
        {
            throw new RegistryUnreachableException(Reference.Registry, $"the token service at {realm.Host} returned no token", null);
        }

        return (token, body?.ExpiresIn ?? 60);
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? hint = null;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            hint = _credentials is null
                ? $"the registry requires authentication: run 'wasmc login {Reference.Registry}' or pass credentials"
                : "the registry refused the credentials; check the user name and password (wasmc login, or the pull secret)";
        }

        await ThrowAsync(response, hint, cancellationToken).ConfigureAwait(false);
    }

    private async Task ThrowAsync(HttpResponseMessage response, string? hint, CancellationToken cancellationToken)
    {
        IReadOnlyList<RegistryError> errors = [];
        if (response.RequestMessage?.Method != HttpMethod.Head)
        {
            try
            {
                // A stalled error body ends the read (the error is reported without the registry's errors[]).
                var stream = IdleLimited(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), "an error response");
                var bytes = new byte[MaxErrorBody];
                var n = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (n > 0 && n < MaxErrorBody)
                {
                    errors = JsonSerializer.Deserialize(bytes.AsSpan(0, n), OciJsonContext.Default.RegistryErrorResponse)?.Errors ?? [];
                }
            }
            catch (JsonException)
            {
            }
            catch (HttpRequestException)
            {
            }
            catch (RegistryUnreachableException)
            {
            }
        }

        var request = response.RequestMessage!;
        if (hint is null && response.StatusCode == HttpStatusCode.BadRequest && request.RequestUri!.Scheme == Uri.UriSchemeHttp && errors.Count == 0)
        {
            // What an HTTPS server answers to a plain-HTTP request ("Client sent an HTTP request to an HTTPS server").
            hint = "the registry rejected a plain-HTTP request, as HTTPS servers do: it probably serves HTTPS — drop --plain-http (OciClientOptions.PlainHttp), and trust its CA with --ca-file if needed";
        }

        throw new RegistryException(response.StatusCode, request.Method.Method, request.RequestUri!, errors, hint);
    }
}

/// <summary>A request body written by a producer as it is sent (chunked transfer encoding).</summary>
internal sealed class ProducedContent : HttpContent
{
    private readonly Func<Stream, CancellationToken, Task> _produce;

    public ProducedContent(Func<Stream, CancellationToken, Task> produce)
    {
        _produce = produce;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _produce(stream, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) => _produce(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
