namespace WasmMesh.Oci;

/// <summary>Options of the OCI registry client. Validated when first used (and at start with a host).</summary>
public sealed class OciClientOptions
{
    /// <summary>The default <see cref="MaxBlobSize"/>: 256 MiB.</summary>
    public const long DefaultMaxBlobSize = 256L * 1024 * 1024;

    /// <summary>
    /// The largest blob (compressed layer or raw module) and the largest decompressed module accepted, in bytes.
    /// Larger content is refused before download when its declared size is too big, and while streaming otherwise.
    /// Default 256 MiB.
    /// </summary>
    public long MaxBlobSize { get; set; } = DefaultMaxBlobSize;

    /// <summary>The largest manifest or index accepted, in bytes. Default 4 MiB (the distribution spec's limit).</summary>
    public long MaxManifestSize { get; set; } = 4L * 1024 * 1024;

    /// <summary>Use plain HTTP for every registry. Default <see langword="false"/>.</summary>
    public bool PlainHttp { get; set; }

    /// <summary>
    /// Registries (<c>host</c> or <c>host:port</c>) that may be reached over plain HTTP when HTTPS is not offered and
    /// whose TLS certificates are not verified, like docker's <c>insecure-registries</c>. Loopback registries
    /// (127.0.0.0/8, ::1, localhost) may always fall back to plain HTTP, but their certificates are verified.
    /// Certificate checks are skipped per host name: an entry <c>host:port</c> covers every port of that host.
    /// Default empty.
    /// </summary>
    public IList<string> InsecureRegistries { get; } = [];

    /// <summary>A PEM file of CA certificates trusted in addition to the system's. Default none.</summary>
    public string? CaFile { get; set; }

    /// <summary>Skip TLS certificate verification for every registry. Default <see langword="false"/>; for tests only.</summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>
    /// A hook that opens every registry connection (including redirects to blob storage), e.g. an SSRF guard that
    /// checks the resolved address. When set, no HTTP proxy is used, so the hook sees the real destination.
    /// Default none (plain connects, proxy from the environment).
    /// </summary>
    public Func<System.Net.Http.SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? ConnectCallback { get; set; }

    /// <summary>How long to wait for a TCP/TLS connection. Default 15 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a registry (or its token service, or the storage a blob redirects to) may take to answer a request with
    /// its response headers once the request, body included, is sent. Default 30 s. A registry that accepts the
    /// connection and never answers fails the request after this time with <see cref="RegistryUnreachableException"/>.
    /// </summary>
    public TimeSpan ResponseHeaderTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long reading a response body (manifest, blob, token, referrers, error) or writing a request body may go
    /// without a byte of progress. Default 30 s. A stalled transfer fails with <see cref="RegistryUnreachableException"/>;
    /// a slow but steady one is not limited.
    /// </summary>
    public TimeSpan IdleReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Blobs up to this size are uploaded with one PUT; larger ones in chunks (PATCH). Default 64 MiB.</summary>
    public long MonolithicUploadLimit { get; set; } = 64L * 1024 * 1024;

    /// <summary>The size of each chunk of a chunked upload. Default 16 MiB.</summary>
    public long UploadChunkSize { get; set; } = 16L * 1024 * 1024;

    /// <summary>The User-Agent sent to registries. Default <c>wasmmesh/0.1</c>.</summary>
    public string UserAgent { get; set; } = "wasmmesh/0.1";

    /// <summary>
    /// Why a CA file cannot be used (it holds no PEM certificate, or a malformed one), or null when it can. The file is
    /// checked at start so that a DER file or a private key is reported then, not as a TLS failure at the first request.
    /// </summary>
    /// <param name="path">The CA file.</param>
    /// <returns>The problem, starting with the quoted path, or null.</returns>
    public static string? CaFileProblem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            return certificates.Count > 0
                ? null
                : $"'{path}' holds no PEM certificate (a -----BEGIN CERTIFICATE----- block); give the registry CA's certificate in PEM form (openssl x509 -inform der -in ca.der -out ca.pem converts DER)";
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            return $"'{path}' is not a valid PEM certificate file ({ex.Message}); give the registry CA's certificate in PEM form";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"'{path}' cannot be read ({ex.Message})";
        }
    }
}
