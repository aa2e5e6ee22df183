using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WasmMesh.Kubernetes;

/// <summary>
/// The Kubernetes REST client: one HTTP connection pool to one API server, and typed resource clients from
/// <see cref="Resource{T}"/>. Thread-safe; create one per server and dispose it.
/// </summary>
public sealed partial class KubernetesClient : IKubernetesClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseUri;
    private readonly ILogger _logger;

    /// <summary>Creates a client with its own HTTP handler (TLS and credentials from <paramref name="configuration"/>).</summary>
    /// <param name="configuration">The server and credentials.</param>
    /// <param name="options">Timeouts, user agent and default field manager; null for defaults.</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <param name="timeProvider">The clock for token refresh; null for the system clock.</param>
    public KubernetesClient(KubernetesClientConfiguration configuration, KubernetesClientOptions? options = null, ILogger<KubernetesClient>? logger = null, TimeProvider? timeProvider = null)
        : this(configuration, new HttpClient(CreateHttpMessageHandler(configuration, timeProvider ?? TimeProvider.System), disposeHandler: true), ownsHttpClient: true, options, logger)
    {
    }

    /// <summary>
    /// Creates a client over an <see cref="HttpClient"/> whose handler came from
    /// <see cref="CreateHttpMessageHandler"/> (e.g. through <c>IHttpClientFactory</c>); the client does not dispose it.
    /// </summary>
    /// <param name="configuration">The server.</param>
    /// <param name="httpClient">The HTTP client.</param>
    /// <param name="options">Timeouts, user agent and default field manager; null for defaults.</param>
    /// <param name="logger">A logger; null for none.</param>
    public KubernetesClient(KubernetesClientConfiguration configuration, HttpClient httpClient, KubernetesClientOptions? options = null, ILogger<KubernetesClient>? logger = null)
        : this(configuration, httpClient, ownsHttpClient: false, options, logger)
    {
    }

    private KubernetesClient(KubernetesClientConfiguration configuration, HttpClient httpClient, bool ownsHttpClient, KubernetesClientOptions? options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(httpClient);
        Configuration = configuration;
        Options = options ?? new KubernetesClientOptions();
        _http = httpClient;
        _ownsHttp = ownsHttpClient;
        _http.Timeout = Timeout.InfiniteTimeSpan;
        var server = configuration.Server.ToString();
        _baseUri = new Uri(server.EndsWith('/') ? server : server + "/");
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public KubernetesClientConfiguration Configuration { get; }

    internal KubernetesClientOptions Options { get; }

    /// <summary>
    /// Builds the HTTP handler chain for a configuration: TLS trust and client certificate, and a handler adding
    /// credentials (static, rotating token file, exec plugin or basic). The caller owns and disposes it.
    /// </summary>
    /// <param name="configuration">The server and credentials.</param>
    /// <param name="timeProvider">The clock for token refresh.</param>
    /// <returns>The handler.</returns>
    public static HttpMessageHandler CreateHttpMessageHandler(KubernetesClientConfiguration configuration, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return KubernetesHttpHandlerFactory.Create(configuration, timeProvider ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public IKubernetesResourceClient<T> Resource<T>(KubernetesResourceType resourceType, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new KubernetesResourceClient<T>(this, resourceType, typeInfo);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Sends a request and throws <see cref="KubernetesApiException"/> for non-success responses.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? query, HttpContent? content, bool streaming, CancellationToken cancellationToken)
    {
        var relative = path.TrimStart('/') + (string.IsNullOrEmpty(query) ? string.Empty : "?" + query);
        using var request = new HttpRequestMessage(method, new Uri(_baseUri, relative)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("User-Agent", Options.UserAgent);
        LogRequest(_logger, method.Method, path);

        HttpResponseMessage response;
        if (streaming)
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.RequestTimeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Kubernetes API {method} {path} did not answer within {Options.RequestTimeout.TotalSeconds:0.#} s.", ex);
            }
        }

        KubernetesMetrics.Requests.Add(1, new KeyValuePair<string, object?>("method", method.Method), new KeyValuePair<string, object?>("code", (int)response.StatusCode));
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = await ReadStatusAsync(response, cancellationToken).ConfigureAwait(false);
            LogFailure(_logger, method.Method, path, (int)response.StatusCode, status?.Reason);
            throw new KubernetesApiException(response.StatusCode, status, method.Method, path);
        }
    }

    private static async Task<KubernetesStatus?> ReadStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (bytes.Length == 0 || bytes[0] != (byte)'{')
            {
                return new KubernetesStatus { Status = "Failure", Code = (int)response.StatusCode, Reason = response.StatusCode.ToString(), Message = bytes.Length == 0 ? null : TrimMessage(bytes) };
            }

            return JsonSerializer.Deserialize(bytes, KubernetesJsonContext.Default.KubernetesStatus);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static string TrimMessage(byte[] bytes)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 512)).Trim();
        return text;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Kubernetes API {Method} {Path}")]
    private static partial void LogRequest(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Kubernetes API {Method} {Path} failed: {StatusCode} {Reason}")]
    private static partial void LogFailure(ILogger logger, string method, string path, int statusCode, string? reason);

    internal static HttpStatusCode StatusCodeOf(KubernetesStatus status) =>
        status.Code > 0 ? (HttpStatusCode)status.Code : HttpStatusCode.InternalServerError;
}
