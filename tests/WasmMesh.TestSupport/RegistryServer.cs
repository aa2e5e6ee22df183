using System.Diagnostics;
using System.Net;
using System.Text;

namespace WasmMesh.TestSupport;

/// <summary>
/// A private Debian <c>docker-registry</c> on 127.0.0.1 and a free port, with storage in a temporary directory,
/// optionally with htpasswd Basic auth, Bearer token auth, or TLS from a throw-away CA. Killed and deleted on dispose.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly StringBuilder _log;

    private RegistryServer(Process process, TempDirectory dir, StringBuilder log, int port, RegistryServerOptions options, string? caFile)
    {
        _process = process;
        _dir = dir;
        _log = log;
        Port = port;
        Options = options;
        CaFile = caFile;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The registry host for references: <c>127.0.0.1:port</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The options it was started with.</summary>
    public RegistryServerOptions Options { get; }

    /// <summary>The CA certificate (PEM) that signed the server certificate, when <see cref="RegistryServerOptions.Tls"/>.</summary>
    public string? CaFile { get; }

    /// <summary>The base URL.</summary>
    public Uri BaseUri => new($"{(Options.Tls ? "https" : "http")}://{Host}/");

    /// <summary>Where the registry stores blobs.</summary>
    public string StorageDirectory => _dir.Combine("storage");

    /// <summary>What the registry logged (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a registry; skips the calling test when <c>docker-registry</c> (or a tool an option needs) is absent.</summary>
    public static async Task<RegistryServer> StartAsync(RegistryServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        // A free port can be taken by a parallel test between choosing and binding it: try another one.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(options, cancellationToken);
            }
            catch (InvalidOperationException e) when (attempt < 4 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<RegistryServer> StartOnceAsync(RegistryServerOptions? options, CancellationToken cancellationToken)
    {
        options ??= new RegistryServerOptions();
        var binary = ExternalBinary.Require("docker-registry", "docker-registry");
        var dir = new TempDirectory("wasmmesh-registry");
        try
        {
            Directory.CreateDirectory(dir.Combine("storage"));
            var port = FreePort.Next();
            var config = new StringBuilder();
            config.Append(CultureInvariant($"""
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: {dir.Combine("storage")}
                  delete:
                    enabled: true
                  maintenance:
                    uploadpurging:
                      enabled: false
                http:
                  addr: 127.0.0.1:{port}
                  secret: wasmmesh-test-secret

                """));
            string? caFile = null;
            if (options.Tls)
            {
                caFile = await RegistryCertificates.CreateAsync(dir.Path, cancellationToken);
                config.Append(CultureInvariant($"""
                      tls:
                        certificate: {dir.Combine("server.crt")}
                        key: {dir.Combine("server.key")}

                    """));
            }

            if (options.Htpasswd)
            {
                var htpasswd = ExternalBinary.Require("htpasswd", "apache2-utils");
                var result = await ProcessRunner.RunAsync(htpasswd, ["-Bbn", options.Username, options.Password], cancellationToken: cancellationToken);
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException("htpasswd failed: " + result);
                }

                await File.WriteAllTextAsync(dir.Combine("htpasswd"), result.StdOut, cancellationToken);
                config.Append(CultureInvariant($"""
                    auth:
                      htpasswd:
                        realm: wasmmesh-test
                        path: {dir.Combine("htpasswd")}

                    """));
            }
            else if (options.TokenAuth is { } token)
            {
                config.Append(CultureInvariant($"""
                    auth:
                      token:
                        realm: {token.Realm}
                        service: {token.Service}
                        issuer: {token.Issuer}
                        rootcertbundle: {token.RootCertBundle}

                    """));
            }

            var configPath = dir.Combine("config.yml");
            await File.WriteAllTextAsync(configPath, config.ToString(), cancellationToken);
            var log = new StringBuilder();
            var psi = new ProcessStartInfo(binary)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("serve");
            psi.ArgumentList.Add(configPath);
            var process = new Process { StartInfo = psi };
            process.OutputDataReceived += (_, e) => Append(log, e.Data);
            process.ErrorDataReceived += (_, e) => Append(log, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new RegistryServer(process, dir, log, port, options, caFile);
            try
            {
                await server.WaitReadyAsync(cancellationToken);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            return server;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _dir.Dispose();
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.Length < 64 * 1024)
            {
                log.AppendLine(line);
            }
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler();
        if (CaFile is not null)
        {
            var ca = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            ca.ImportFromPemFile(CaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
            };
        }

        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseUri, "/v2/"), cancellationToken);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"docker-registry did not answer /v2/ on {BaseUri} within 20 s:\n{Log}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
