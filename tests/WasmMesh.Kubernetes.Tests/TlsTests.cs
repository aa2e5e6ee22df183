using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace WasmMesh.Kubernetes.Tests;

/// <summary>Real TLS: a CA, a server certificate for 127.0.0.1 and a client certificate, with Kestrel requiring client certificates.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private X509Certificate2 _ca = null!;
    private X509Certificate2 _server = null!;
    private string _clientCertPem = null!;
    private string _clientKeyPem = null!;
    private WebApplication _app = null!;
    private Uri _url = null!;

    public async ValueTask InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=wasmmesh-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var serverPublic = serverRequest.Create(_ca, now.AddDays(-1), now.AddDays(1), [1, 2, 3, 4]);
        using var serverWithKey = serverPublic.CopyWithPrivateKey(serverKey);
        _server = X509CertificateLoader.LoadPkcs12(serverWithKey.Export(X509ContentType.Pkcs12), null);

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=alice", clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientRequest.Create(_ca, now.AddDays(-1), now.AddDays(1), [5, 6, 7, 8]);
        _clientCertPem = client.ExportCertificatePem();
        _clientKeyPem = clientKey.ExportPkcs8PrivateKeyPem();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = _server,
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        _app = builder.Build();
        _app.Run(async context =>
        {
            var cert = await context.Connection.GetClientCertificateAsync();
            var name = cert?.GetNameInfo(X509NameType.SimpleName, false) ?? "anonymous";
            var auth = context.Request.Headers.Authorization.ToString();
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[{\"metadata\":{\"name\":\"" + name + "\",\"annotations\":{\"auth\":\"" + auth + "\"}}}]}");
        });
        await _app.StartAsync(_ct);
        var port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        _url = new Uri($"https://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _server.Dispose();
        _ca.Dispose();
    }

    private async Task<Namespace> ListFirstAsync(KubernetesClientConfiguration config)
    {
        using var client = new KubernetesClient(config);
        return (await client.Namespaces().ListAsync(cancellationToken: _ct)).Items.Single();
    }

    [Fact]
    public async Task Kubeconfig_CaDataAndClientCertificateData_AuthenticatesOverMutualTls()
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        var yaml = $"""
            apiVersion: v1
            kind: Config
            current-context: tls
            clusters:
            - name: c
              cluster:
                server: {_url}
                certificate-authority-data: {B64(_ca.ExportCertificatePem())}
            users:
            - name: u
              user:
                client-certificate-data: {B64(_clientCertPem)}
                client-key-data: {B64(_clientKeyPem)}
                token: also-sent
            contexts:
            - name: tls
              context: {"{"}cluster: c, user: u{"}"}
            """;

        var ns = await ListFirstAsync(KubernetesClientConfiguration.FromKubeconfigYaml(yaml));

        Assert.Equal("alice", ns.Metadata.Name);
        Assert.Equal("Bearer also-sent", ns.Metadata.Annotations!["auth"]);
    }

    [Fact]
    public async Task UnknownCertificateAuthority_FailsVerification()
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => ListFirstAsync(new KubernetesClientConfiguration { Server = _url }));
        Assert.IsAssignableFrom<System.Security.Authentication.AuthenticationException>(ex.InnerException);
    }

    [Fact]
    public async Task OtherCertificateAuthority_FailsVerification()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=other-ca", otherKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var other = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var config = new KubernetesClientConfiguration { Server = _url, CertificateAuthorityData = Encoding.ASCII.GetBytes(other.ExportCertificatePem()) };

        await Assert.ThrowsAsync<HttpRequestException>(() => ListFirstAsync(config));
    }

    [Fact]
    public async Task InsecureSkipTlsVerify_ConnectsWithoutTheCa()
    {
        var ns = await ListFirstAsync(new KubernetesClientConfiguration { Server = _url, SkipTlsVerify = true });
        Assert.Equal("anonymous", ns.Metadata.Name);
    }

    [Fact]
    public void InvalidClientKey_ThrowsConfigurationError()
    {
        var config = new KubernetesClientConfiguration { Server = _url, ClientCertificateData = Encoding.ASCII.GetBytes(_clientCertPem), ClientKeyData = "not a key"u8.ToArray() };
        var ex = Assert.Throws<KubernetesConfigurationException>(() => new KubernetesClient(config));
        Assert.Contains("client-key", ex.Message, StringComparison.Ordinal);
    }
}
