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

    /// <summary>How long to wait for a response's headers (and a manifest's body). Default 100 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Blobs up to this size are uploaded with one PUT; larger ones in chunks (PATCH). Default 64 MiB.</summary>
    public long MonolithicUploadLimit { get; set; } = 64L * 1024 * 1024;

    /// <summary>The size of each chunk of a chunked upload. Default 16 MiB.</summary>
    public long UploadChunkSize { get; set; } = 16L * 1024 * 1024;

    /// <summary>The User-Agent sent to registries. Default <c>wasmmesh/0.1</c>.</summary>
    public string UserAgent { get; set; } = "wasmmesh/0.1";
}
