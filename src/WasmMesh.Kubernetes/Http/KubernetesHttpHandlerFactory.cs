using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace WasmMesh.Kubernetes;

/// <summary>Builds the handler chain for a configuration: TLS (CA, client certificate, skip-verify) and authentication.</summary>
internal static class KubernetesHttpHandlerFactory
{
    public static HttpMessageHandler Create(KubernetesClientConfiguration configuration, TimeProvider timeProvider)
    {
        var owned = new List<X509Certificate2>();
        var primary = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            UseProxy = false,
        };

        try
        {
            var ssl = new SslClientAuthenticationOptions();
            if (configuration.TlsServerName is { Length: > 0 } serverName)
            {
                ssl.TargetHost = serverName;
            }

            if (configuration.ClientCertificateData is { Length: > 0 } certPem && configuration.ClientKeyData is { Length: > 0 } keyPem)
            {
                var certificate = LoadClientCertificate(certPem, keyPem);
                owned.Add(certificate);
                ssl.ClientCertificates = [certificate];
            }

            X509Certificate2Collection? authorities = null;
            if (configuration.CertificateAuthorityData is { Length: > 0 } caData)
            {
                authorities = LoadAuthorities(caData);
                owned.AddRange(authorities);
            }

            var skip = configuration.SkipTlsVerify;
            ssl.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                Validate(skip, authorities, certificate, chain, errors);
            primary.SslOptions = ssl;
            return new KubernetesAuthHandler(configuration, timeProvider, primary, owned);
        }
        catch
        {
            primary.Dispose();
            foreach (var certificate in owned)
            {
                certificate.Dispose();
            }

            throw;
        }
    }

    private static bool Validate(bool skip, X509Certificate2Collection? authorities, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (skip || errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (authorities is null || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    private static X509Certificate2 LoadClientCertificate(ReadOnlyMemory<byte> certPem, ReadOnlyMemory<byte> keyPem)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(
                System.Text.Encoding.ASCII.GetString(certPem.Span),
                System.Text.Encoding.ASCII.GetString(keyPem.Span));

            // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new KubernetesConfigurationException($"The client certificate or key is not valid PEM: {ex.Message}. Check client-certificate(-data) and client-key(-data).", innerException: ex);
        }
    }

    private static X509Certificate2Collection LoadAuthorities(ReadOnlyMemory<byte> data)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            var text = System.Text.Encoding.ASCII.GetString(data.Span);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificate(data.Span));
            }
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new KubernetesConfigurationException($"The certificate authority is not a valid PEM or DER certificate: {ex.Message}. Check certificate-authority(-data).", innerException: ex);
        }

        return collection.Count > 0
            ? collection
            : throw new KubernetesConfigurationException("The certificate authority data holds no certificate. Check certificate-authority(-data).");
    }
}
