using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WasmMesh.Oci;

/// <summary>
/// Decides whether a registry is reached over HTTPS or plain HTTP and remembers the answer.
/// </summary>
/// <remarks>
/// HTTPS is always tried first, as docker does. Plain HTTP is used when <see cref="OciClientOptions.PlainHttp"/> is
/// set, or — after HTTPS fails to connect — for loopback registries and <see cref="OciClientOptions.InsecureRegistries"/>.
/// </remarks>
internal sealed class RegistryEndpointResolver(OciClientOptions options, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Uri> _resolved = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _insecure = new(options.InsecureRegistries.Select(DockerConfigCredentials.NormalizeRegistry), StringComparer.OrdinalIgnoreCase);

    public bool MayUsePlainHttp(ImageReference reference)
        => options.PlainHttp || reference.IsLoopback || _insecure.Contains(reference.Registry) || _insecure.Contains(reference.HostName);

    public async Task<Uri> ResolveAsync(HttpClient client, ImageReference reference, CancellationToken cancellationToken)
    {
        var host = reference.ApiHost;
        if (_resolved.TryGetValue(host, out var known))
        {
            return known;
        }

        Uri result;
        if (options.PlainHttp)
        {
            result = new Uri($"http://{host}/");
        }
        else if (!MayUsePlainHttp(reference))
        {
            result = new Uri($"https://{host}/");
        }
        else
        {
            var https = new Uri($"https://{host}/");
            var error = await ProbeAsync(client, https, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                result = https;
            }
            else
            {
                var http = new Uri($"http://{host}/");
                var plainError = await ProbeAsync(client, http, cancellationToken).ConfigureAwait(false);
                if (plainError is not null)
                {
                    throw new RegistryUnreachableException(reference.Registry, RegistrySession.Describe(error), error);
                }

                Log.PlainHttpFallback(logger, reference.Registry);
                result = http;
            }
        }

        _resolved[host] = result;
        return result;
    }

    /// <summary>GETs <c>/v2/</c>; any registry-looking answer (200 or 401) is success.</summary>
    private async Task<Exception?> ProbeAsync(HttpClient client, Uri baseUri, CancellationToken cancellationToken)
    {
        var probe = new Uri(baseUri, "/v2/");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, probe);
            using var response = await HttpTimeouts.SendAsync(
                client,
                request,
                options.ResponseHeaderTimeout,
                options.IdleReadTimeout,
                (_, e) => new TimeoutException($"no response headers within {HttpTimeouts.Seconds(options.ResponseHeaderTimeout)} to GET {probe} (the ResponseHeaderTimeout option); check that the registry answers", e),
                cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Unauthorized
                ? null
                : new HttpRequestException($"{baseUri.Scheme} probe of /v2/ returned {(int)response.StatusCode}", null, response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            return e;
        }
    }
}
