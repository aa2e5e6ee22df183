namespace WasmMesh.Sources;

/// <summary>Options of the module cache on disk.</summary>
public sealed class WasmCacheOptions
{
    /// <summary>The default size budget: 1 GiB.</summary>
    public const long DefaultSizeBudgetBytes = 1L << 30;

    /// <summary>
    /// The cache root; modules live in <c>&lt;Directory&gt;/sha256/&lt;hex&gt;</c>. Default:
    /// <c>wasmmesh-cache</c> under the system temporary directory. Use a volume that survives restarts to
    /// avoid refetching.
    /// </summary>
    public string Directory { get; set; } = Path.Combine(Path.GetTempPath(), "wasmmesh-cache");

    /// <summary>
    /// The size the cache is trimmed to, in bytes. Default 1 GiB. While the cache holds more, modules not in
    /// use are evicted, least recently used first; modules in use are kept even when they alone exceed it.
    /// </summary>
    public long SizeBudgetBytes { get; set; } = DefaultSizeBudgetBytes;

    /// <summary>
    /// Whether every cached file is hashed in the background when the host starts. Default
    /// <see langword="false"/>: each file is hashed on its first use after start instead.
    /// </summary>
    public bool VerifyOnStartup { get; set; }

    /// <summary>The default <see cref="ScrubInterval"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultScrubInterval = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often every cached file is hashed again in the background; a corrupt one is deleted (and counted and logged).
    /// This finds changes that keep a file's identity (size, times, inode), which every use already compares.
    /// Default 5 minutes; <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/> turns the scrub off.
    /// </summary>
    public TimeSpan ScrubInterval { get; set; } = DefaultScrubInterval;
}
