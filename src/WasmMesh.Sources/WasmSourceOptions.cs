namespace WasmMesh.Sources;

/// <summary>Options of the registry and object sources.</summary>
public sealed class WasmSourceOptions
{
    /// <summary>The default size limit: 256 MiB.</summary>
    public const long DefaultMaxModuleSize = 256L << 20;

    /// <summary>The largest module accepted, in bytes. Default 256 MiB.</summary>
    public long MaxModuleSize { get; set; } = DefaultMaxModuleSize;

    /// <summary>
    /// What a too-large module's error tells the reader to do; a host sets it to name its own setting (wasmer:
    /// <c>raise --Wasmer:MaxModuleBytes …</c>). Default: raise <see cref="MaxModuleSize"/>.
    /// </summary>
    public string MaxModuleSizeRemedy { get; set; } = "raise the MaxModuleSize source option if a module this large is expected";

    /// <summary>How long one fetch may take, from the first request to the last byte. Default 5 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long establishing a connection (TCP and TLS) to an object URL or a registry may take. Default 10 seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a source may take to answer a request with its response headers once the request is sent. Default 30
    /// seconds. It applies to object URLs and to every request a registry fetch makes (token service, manifest, blob,
    /// referrers and signatures; it sets <see cref="WasmMesh.Oci.OciClientOptions.ResponseHeaderTimeout"/>). A server
    /// that accepts the connection and never answers fails the fetch after this time, not after <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan ResponseHeaderTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a download may go without receiving a byte. Default 30 seconds. It applies to object URLs and to every
    /// body a registry fetch reads (it sets <see cref="WasmMesh.Oci.OciClientOptions.IdleReadTimeout"/>). A stalled body
    /// fails the fetch after this time; a slow but steady one is bounded by <see cref="Timeout"/> only.
    /// </summary>
    public TimeSpan IdleReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many redirects an object URL may follow. Default 5.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Whether modules that export no <c>proxy_abi_version_*</c> function are refused. Default
    /// <see langword="false"/>: the ABI version is reported (<see cref="WasmModuleResult.ProxyAbiVersion"/>) but not enforced.
    /// </summary>
    public bool RequireProxyWasmAbi { get; set; }
}
