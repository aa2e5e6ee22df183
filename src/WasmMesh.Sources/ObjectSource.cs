using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using WasmMesh.Oci;

namespace WasmMesh.Sources;

/// <summary>Opens object URLs: http/https only, redirects followed by hand (scheme re-checked), the SSRF guard at connect time.</summary>
internal sealed class ObjectSource(IHttpClientFactory httpClientFactory, IOptions<WasmSourceOptions> options)
{
    /// <summary>The name of the <see cref="HttpClient"/> object sources use.</summary>
    public const string HttpClientName = "WasmMesh.Sources.Object";

    /// <summary>Sends GET and follows redirects; returns the successful response with its content stream.</summary>
    public async Task<ObjectResponse> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var current = url;
        var maxRedirects = options.Value.MaxRedirects;
        for (var redirects = 0; ; redirects++)
        {
            CheckScheme(current);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/wasm"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.5));
            HttpResponseMessage response;
            try
            {
                var subject = WasmSourceRequest.RedactUrl(current);
                var headerTimeout = options.Value.ResponseHeaderTimeout;
                response = await HttpTimeouts.SendAsync(
                    client,
                    request,
                    headerTimeout,
                    options.Value.IdleReadTimeout,
                    (_, ex) => new WasmSourceException(WasmSourceKind.Object, subject, $"no response headers within {HttpTimeouts.Seconds(headerTimeout)} (the ResponseHeaderTimeout option); check that the server at the URL answers", innerException: ex),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (FindSsrf(ex) is { } blocked)
            {
                throw new SsrfBlockedException(blocked.Host, blocked.Address, blocked.Reason);
            }
            catch (HttpRequestException ex)
            {
                throw new WasmSourceException(WasmSourceKind.Object, WasmSourceRequest.RedactUrl(current), $"the request failed ({Describe(ex)}); check that the URL is reachable from the controller", innerException: ex);
            }

            if (IsRedirect(response.StatusCode))
            {
                var location = response.Headers.Location;
                response.Dispose();
                if (location is null)
                {
                    throw new WasmSourceException(WasmSourceKind.Object, WasmSourceRequest.RedactUrl(current), $"the server answered {(int)response.StatusCode} without a Location header", response.StatusCode, isTransient: false);
                }

                if (redirects >= maxRedirects)
                {
                    throw new WasmSourceException(WasmSourceKind.Object, WasmSourceRequest.RedactUrl(url), $"more than {maxRedirects} redirects; point the source at the final URL", response.StatusCode, isTransient: false);
                }

                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var status = response.StatusCode;
                response.Dispose();
                var transient = (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout;
                throw new WasmSourceException(WasmSourceKind.Object, WasmSourceRequest.RedactUrl(current), $"the server answered {(int)status} {status}", status, transient);
            }

            var length = response.Content.Headers.ContentLength;
            if (length > options.Value.MaxModuleSize)
            {
                response.Dispose();
                throw new SizeLimitExceededException(options.Value.MaxModuleSize, WasmSourceRequest.RedactUrl(current), length, options.Value.MaxModuleSizeRemedy);
            }

            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var subject = WasmSourceRequest.RedactUrl(current);
                var idle = options.Value.IdleReadTimeout;
                return new ObjectResponse(response, new IdleTimeoutReadStream(stream, idle, ex => new WasmSourceException(WasmSourceKind.Object, subject, $"no data received for {HttpTimeouts.Seconds(idle)} while downloading (the IdleReadTimeout option)", innerException: ex)), current, length);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }

    private static void CheckScheme(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            var host = url.IsAbsoluteUri ? url.Host : "(relative URL)";
            throw new SsrfBlockedException(host, null, $"scheme '{(url.IsAbsoluteUri ? url.Scheme : string.Empty)}' is not allowed; only http and https are");
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static SsrfBlockedException? FindSsrf(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is SsrfBlockedException blocked)
            {
                return blocked;
            }
        }

        return null;
    }

    private static string Describe(HttpRequestException ex)
    {
        var inner = ex.InnerException;
        return inner switch
        {
            System.Net.Sockets.SocketException socket => socket.SocketErrorCode.ToString(),
            TimeoutException => "connect timeout",
            null => ex.HttpRequestError.ToString(),
            _ => inner.Message,
        };
    }

    /// <summary>A successful response and its content stream; disposing it closes the connection's response.</summary>
    internal sealed class ObjectResponse(HttpResponseMessage response, Stream content, Uri finalUrl, long? contentLength) : IAsyncDisposable
    {
        public Stream Content { get; } = content;

        public Uri FinalUrl { get; } = finalUrl;

        public long? ContentLength { get; } = contentLength;

        public async ValueTask DisposeAsync()
        {
            await Content.DisposeAsync().ConfigureAwait(false);
            response.Dispose();
        }
    }
}
