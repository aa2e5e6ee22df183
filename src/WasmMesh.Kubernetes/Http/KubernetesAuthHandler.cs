using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace WasmMesh.Kubernetes;

/// <summary>
/// Adds the Authorization header: a static token, a token file re-read every minute (service-account token
/// rotation), an exec plugin's token (cached until it expires), or basic auth. Owns the TLS certificates of
/// the primary handler and disposes them with it.
/// </summary>
internal sealed class KubernetesAuthHandler : DelegatingHandler
{
    private static readonly TimeSpan TokenFileRefresh = TimeSpan.FromMinutes(1);
    private readonly KubernetesClientConfiguration _configuration;
    private readonly TimeProvider _timeProvider;
    private readonly IReadOnlyList<X509Certificate2> _ownedCertificates;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private string? _cachedToken;
    private DateTimeOffset _cachedTokenValidUntil = DateTimeOffset.MinValue;

    public KubernetesAuthHandler(KubernetesClientConfiguration configuration, TimeProvider timeProvider, HttpMessageHandler innerHandler, IReadOnlyList<X509Certificate2> ownedCertificates)
        : base(innerHandler)
    {
        _configuration = configuration;
        _timeProvider = timeProvider;
        _ownedCertificates = ownedCertificates;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var header = await GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        if (header is not null)
        {
            request.Headers.Authorization = header;
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token may have rotated or expired: read it again for the next request.
            _cachedTokenValidUntil = DateTimeOffset.MinValue;
        }

        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var certificate in _ownedCertificates)
            {
                certificate.Dispose();
            }

            _refreshLock.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(_configuration.AccessToken))
        {
            return new AuthenticationHeaderValue("Bearer", _configuration.AccessToken);
        }

        if (_configuration.TokenFile is not null || _configuration.Exec is not null)
        {
            var token = await GetRefreshableTokenAsync(cancellationToken).ConfigureAwait(false);
            return string.IsNullOrEmpty(token) ? null : new AuthenticationHeaderValue("Bearer", token);
        }

        if (!string.IsNullOrEmpty(_configuration.Username))
        {
            var raw = Encoding.UTF8.GetBytes($"{_configuration.Username}:{_configuration.Password}");
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
        }

        return null;
    }

    private async ValueTask<string?> GetRefreshableTokenAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        if (_cachedToken is not null && now < _cachedTokenValidUntil)
        {
            return _cachedToken;
        }

        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = _timeProvider.GetUtcNow();
            if (_cachedToken is not null && now < _cachedTokenValidUntil)
            {
                return _cachedToken;
            }

            if (_configuration.TokenFile is { } file)
            {
                try
                {
                    _cachedToken = (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    if (_cachedToken is null)
                    {
                        throw new KubernetesConfigurationException($"Cannot read the bearer token file '{file}': {ex.Message}", file, ex);
                    }

                    // Keep the previous token while the file is being replaced.
                }

                _cachedTokenValidUntil = now + TokenFileRefresh;
            }
            else if (_configuration.Exec is { } exec)
            {
                var credential = await RunExecPluginAsync(exec, cancellationToken).ConfigureAwait(false);
                _cachedToken = credential.Token;
                _cachedTokenValidUntil = credential.ExpirationTimestamp is { } expiry ? expiry - TimeSpan.FromSeconds(10) : DateTimeOffset.MaxValue;
            }

            return _cachedToken;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private static async Task<ExecCredentialStatus> RunExecPluginAsync(ExecCredentialSettings exec, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(exec.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in exec.Arguments)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in exec.Environment)
        {
            psi.Environment[key] = value;
        }

        psi.Environment["KUBERNETES_EXEC_INFO"] = $"{{\"apiVersion\":\"{exec.ApiVersion}\",\"kind\":\"ExecCredential\",\"spec\":{{\"interactive\":false}}}}";
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new KubernetesConfigurationException($"Cannot run the exec credential plugin '{exec.Command}': {ex.Message}. Install it or fix the kubeconfig user's exec.command.", exec.Command, ex);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new KubernetesConfigurationException($"The exec credential plugin '{exec.Command}' exited with {process.ExitCode}: {errors.Trim()}", exec.Command);
        }

        ExecCredential? credential;
        try
        {
            credential = JsonSerializer.Deserialize(output, InternalJsonContext.Default.ExecCredential);
        }
        catch (JsonException ex)
        {
            throw new KubernetesConfigurationException($"The exec credential plugin '{exec.Command}' printed no valid ExecCredential JSON.", exec.Command, ex);
        }

        return credential?.Status is { Token.Length: > 0 } status
            ? status
            : throw new KubernetesConfigurationException($"The exec credential plugin '{exec.Command}' returned no status.token (client certificates from exec plugins are not supported).", exec.Command);
    }
}
