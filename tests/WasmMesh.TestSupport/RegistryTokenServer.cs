using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WasmMesh.TestSupport;

/// <summary>
/// A Bearer token service for <c>docker-registry</c>'s <c>auth.token</c>: checks Basic credentials and issues
/// RS256 JWTs (with an <c>x5c</c> header) granting the requested repository scopes.
/// </summary>
public sealed class RegistryTokenServer : IAsyncDisposable
{
    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;
    private readonly RegistryHttpListener _listener;
    private readonly string _username;
    private readonly string _password;
    private int _issued;

    private RegistryTokenServer(string directory, string username, string password)
    {
        _username = username;
        _password = password;
        _key = RSA.Create(2048);
        var request = new CertificateRequest("CN=WasmMesh test token signer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        RootCertBundle = Path.Combine(directory, "token-signer.crt");
        File.WriteAllText(RootCertBundle, _certificate.ExportCertificatePem());
        _listener = RegistryHttpListener.Start(HandleAsync);
    }

    /// <summary>The PEM file the registry trusts for tokens.</summary>
    public string RootCertBundle { get; }

    /// <summary>The token endpoint.</summary>
    public string Realm => $"http://{_listener.Host}/token";

    /// <summary>The service name.</summary>
    public string Service { get; } = "wasmmesh-test-registry";

    /// <summary>The issuer.</summary>
    public string Issuer { get; } = "wasmmesh-test-issuer";

    /// <summary>How many tokens were issued.</summary>
    public int TokensIssued => Volatile.Read(ref _issued);

    /// <summary>The scopes asked for, in order.</summary>
    public ConcurrentQueue<string> Scopes { get; } = new();

    /// <summary>The registry config section that points at this service.</summary>
    public RegistryTokenAuth Auth => new(Realm, Service, Issuer, RootCertBundle);

    /// <summary>Starts a token service that accepts one user.</summary>
    public static RegistryTokenServer Start(string directory, string username, string password) => new(directory, username, password);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var header = request.Headers["Authorization"];
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_username}:{_password}"));
        if (header != expected)
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid credentials\"}]}"u8.ToArray());
            return;
        }

        var scopes = request.QueryString.GetValues("scope") ?? [];
        var access = new JsonArray();
        foreach (var scope in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            Scopes.Enqueue(scope);
            var parts = scope.Split(':');
            if (parts.Length == 3)
            {
                access.Add(new JsonObject
                {
                    ["type"] = parts[0],
                    ["name"] = parts[1],
                    ["actions"] = new JsonArray(parts[2].Split(',').Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                });
            }
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var headerJson = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = _username,
            ["aud"] = request.QueryString["service"] ?? Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = B64(Encoding.UTF8.GetBytes(headerJson.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var token = signingInput + "." + B64(signature);
        Interlocked.Increment(ref _issued);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["token"] = token, ["expires_in"] = 300 }));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
