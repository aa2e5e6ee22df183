using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace WasmMesh.Oci;

/// <summary>The named HTTP client and its primary handler.</summary>
internal static class OciHttp
{
    /// <summary>The <c>IHttpClientFactory</c> name of the registry client.</summary>
    public const string ClientName = "WasmMesh.Oci";

    public static SocketsHttpHandler CreateHandler(OciClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by RegistrySession so that Authorization is dropped when the host changes.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = true,
        };

        if (options.ConnectCallback is { } connect)
        {
            handler.ConnectCallback = connect;
            handler.UseProxy = false;
        }

        var trusted = LoadCertificates(options.CaFile);
        // TLS callbacks see the host name only (no port): an insecure host:port entry covers that host.
        var insecure = new HashSet<string>(options.InsecureRegistries.Select(r => HostOf(DockerConfigCredentials.NormalizeRegistry(r))), StringComparer.OrdinalIgnoreCase);
        var skipAll = options.InsecureSkipVerify;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            Validate(sender, certificate, errors, trusted, insecure, skipAll);
        return handler;
    }

    internal static bool Validate(object? sender, X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? trusted, HashSet<string> insecure, bool skipAll)
    {
        if (errors == SslPolicyErrors.None || skipAll)
        {
            return true;
        }

        var host = sender switch
        {
            HttpRequestMessage { RequestUri: { } uri } => uri.Host,
            SslStream stream => stream.TargetHostName,
            _ => null,
        };
        if (host is not null && insecure.Contains(host.Trim('[', ']')))
        {
            return true;
        }

        if (trusted is null || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    internal static string HostOf(string registry)
    {
        if (registry.StartsWith('['))
        {
            var end = registry.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? registry[1..end] : registry;
        }

        var colon = registry.LastIndexOf(':');
        return colon > 0 && registry.IndexOf(':', StringComparison.Ordinal) == colon ? registry[..colon] : registry;
    }

    private static X509Certificate2Collection? LoadCertificates(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection;
    }
}
