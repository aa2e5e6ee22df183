using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.Sources;

/// <summary>
/// The content-addressed module cache on disk. A module is verified once — while it is stored, or by one hash of its
/// file on first use after start — and the identity of its file (inode, size, times) is recorded then; before every
/// use the file's identity is compared (a stat, no read), and a changed file is hashed again before it is served.
/// A background scrub re-hashes every file on an interval, for changes that keep the identity.
/// </summary>
internal sealed class WasmModuleCache : IWasmModuleCache, IDisposable
{
    private const string TempPrefix = ".tmp-";
    private const int StripeCount = 64;

    private readonly ConcurrentDictionary<Digest, Entry> _entries = new();
    private readonly SingleFlight<Digest, WasmModuleResult?> _verifications = new();
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly SemaphoreSlim _evictionGate = new(1, 1);
    private readonly WasmCacheOptions _options;
    private readonly IOptions<WasmSourceOptions> _sourceOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SourcesMetrics _metrics;
    private readonly string _modulesDirectory;
    private HashSet<Digest>? _inUse;
    private long _totalBytes;

    public WasmModuleCache(IOptions<WasmCacheOptions> options, IOptions<WasmSourceOptions> sourceOptions, SourcesMetrics metrics, ILogger<WasmModuleCache> logger, TimeProvider? timeProvider = null)
    {
        _options = options.Value;
        _sourceOptions = sourceOptions;
        _metrics = metrics;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        var root = Path.GetFullPath(_options.Directory);
        _modulesDirectory = Path.Combine(root, Digest.Sha256Algorithm);
        Directory.CreateDirectory(_modulesDirectory);
        Manifests = new ManifestIndex(Path.Combine(root, "manifests", Digest.Sha256Algorithm), logger);
        Scan();
        metrics.ObserveCache(() => Interlocked.Read(ref _totalBytes), () => _entries.Count);
        Log.CacheOpened(_logger, root, _entries.Count, TotalBytes);
    }

    public int Count => _entries.Count;

    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>Which module each registry manifest holds.</summary>
    public ManifestIndex Manifests { get; }

    /// <summary>The digests of every cached module, verified or not.</summary>
    public IReadOnlyList<Digest> Digests => [.. _entries.Keys];

    public bool Contains(Digest sha256) => _entries.ContainsKey(RequireSha256(sha256));

    public ValueTask<WasmModuleResult?> TryGetAsync(Digest sha256, CancellationToken cancellationToken = default)
    {
        if (TryGetVerified(sha256, out var module))
        {
            return new ValueTask<WasmModuleResult?>(module);
        }

        if (!_entries.TryGetValue(sha256, out var entry))
        {
            _metrics.CacheMiss();
            return new ValueTask<WasmModuleResult?>((WasmModuleResult?)null);
        }

        Volatile.Write(ref entry.LastUse, _time.GetUtcNow().UtcTicks);
        return VerifyAndCountAsync(entry, cancellationToken);
    }

    /// <summary>
    /// The synchronous fast path: a module verified since start whose file still has the identity it was verified
    /// with (one stat), counted as a hit; <see langword="false"/> otherwise (nothing counted; a changed file is marked
    /// for re-verification).
    /// </summary>
    public bool TryGetVerified(Digest sha256, [NotNullWhen(true)] out WasmModuleResult? module)
    {
        if (_entries.TryGetValue(RequireSha256(sha256), out var entry) && Volatile.Read(ref entry.Module) is { } verified)
        {
            if (IsUnchanged(verified))
            {
                Volatile.Write(ref entry.LastUse, _time.GetUtcNow().UtcTicks);
                _metrics.CacheHit();
                module = verified;
                return true;
            }

            Interlocked.CompareExchange(ref entry.Module, null, verified);
        }

        module = null;
        return false;
    }

    /// <summary>
    /// Opens a verified module's file for reading when it is still the file that was verified (its identity is
    /// compared on the open handle); otherwise marks the module for re-verification and returns <see langword="null"/>.
    /// </summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle? TryOpen(WasmModuleResult module)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle? handle = null;
        try
        {
            handle = File.OpenHandle(module.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.SequentialScan);
            if (FileIdentity.Of(handle, module.Path) == module.Identity)
            {
                return handle;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        handle?.Dispose();
        MarkUnverified(module.Sha256);
        return null;
    }

    public async Task<bool> VerifyAsync(Digest sha256, CancellationToken cancellationToken = default)
    {
        if (!_entries.TryGetValue(RequireSha256(sha256), out var entry))
        {
            return false;
        }

        return await VerifyEntryAsync(entry, force: true).WaitAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public void MarkUnverified(Digest sha256)
    {
        if (_entries.TryGetValue(RequireSha256(sha256), out var entry))
        {
            Volatile.Write(ref entry.Module, null);
        }
    }

    public Task<WasmModuleResult> StoreAsync(Stream content, string subject, Digest? expectedSha256 = null, CancellationToken cancellationToken = default)
        => StoreAsync(content, null, subject, expectedSha256, cancellationToken);

    /// <summary>
    /// Stores a module. With <paramref name="verifiedSha256"/>, the content is not hashed again: the source verified it
    /// and names its sha256 once its end was read (e.g. a registry layer checked against its digest).
    /// </summary>
    public async Task<WasmModuleResult> StoreAsync(Stream content, Func<Digest?>? verifiedSha256, string subject, Digest? expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(subject);
        if (expectedSha256 is { } pin)
        {
            RequireSha256(pin);
        }

        var sourceOptions = _sourceOptions.Value;
        var temp = Path.Combine(_modulesDirectory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            Digest digest;
            long size;
            WasmModuleInfo info;
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var hashing = verifiedSha256 is null ? new HashingReadStream(content, subject, expectedSha256, leaveOpen: true) : null;
                try
                {
                    var tee = new TeeReadStream(hashing ?? content, file, sourceOptions.MaxModuleSize, subject, sourceOptions.MaxModuleSizeRemedy);
                    var buffered = new BufferedStream(tee, 1 << 16);
                    await using (buffered.ConfigureAwait(false))
                    {
                        info = await WasmModuleInspector.InspectAsync(buffered, subject, cancellationToken).ConfigureAwait(false);
                        await tee.DrainAsync(cancellationToken).ConfigureAwait(false);
                        size = tee.BytesRead;
                        digest = hashing?.ComputedDigest ?? verifiedSha256?.Invoke()
                            ?? throw new InvalidOperationException($"the source of {subject} named no sha256 at the end of its content");
                    }
                }
                finally
                {
                    if (hashing is not null)
                    {
                        await hashing.DisposeAsync().ConfigureAwait(false);
                    }
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            if (expectedSha256 is { } expected && expected != digest)
            {
                throw new DigestMismatchException(expected, digest, subject);
            }

            if (sourceOptions.RequireProxyWasmAbi && !info.IsProxyWasm)
            {
                throw new InvalidWasmModuleException(subject, $"it exports no {WasmModuleInspector.ProxyAbiExportPrefix}* function, so Envoy cannot run it as a proxy-wasm filter (the RequireProxyWasmAbi option is on)", 0);
            }

            var path = PathOf(digest);
            WasmModuleResult module;
            var stripe = Stripe(digest);
            await stripe.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                File.Move(temp, path, overwrite: true);
                module = new WasmModuleResult { Sha256 = digest, Size = size, Path = path, ProxyAbiVersion = info.ProxyAbiVersion, Identity = FileIdentity.Of(path) };
                var entry = new Entry(digest, size, _time.GetUtcNow().UtcTicks) { Module = module };
                _entries.AddOrUpdate(
                    digest,
                    static (_, state) =>
                    {
                        Interlocked.Add(ref state.Cache._totalBytes, state.Entry.Size);
                        return state.Entry;
                    },
                    static (_, old, state) =>
                    {
                        Interlocked.Add(ref state.Cache._totalBytes, state.Entry.Size - old.Size);
                        return state.Entry;
                    },
                    (Cache: this, Entry: entry));
            }
            finally
            {
                stripe.Release();
            }

            Log.Stored(_logger, digest.Hex, size, subject);
            if (Volatile.Read(ref _inUse) is { } inUse)
            {
                await EvictAsync(inUse, digest, CancellationToken.None).ConfigureAwait(false);
            }

            return module;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public async Task<WasmCacheRetentionResult> ApplyRetentionAsync(IReadOnlyCollection<Digest> inUse, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inUse);
        var set = new HashSet<Digest>(inUse.Count);
        foreach (var digest in inUse)
        {
            set.Add(RequireSha256(digest));
        }

        Volatile.Write(ref _inUse, set);
        return await EvictAsync(set, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Hashes cached modules: with <paramref name="all"/>, every one (the scrub: a file changed in place without a new
    /// identity is found and deleted); otherwise those not verified yet (startup verification).
    /// </summary>
    public async Task<(int Verified, int Corrupt)> VerifyAllAsync(bool all, CancellationToken cancellationToken)
    {
        int verified = 0, corrupt = 0;
        foreach (var entry in _entries.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!all && Volatile.Read(ref entry.Module) is not null)
            {
                continue;
            }

            if (await VerifyEntryAsync(entry, force: all).WaitAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                corrupt++;
            }
            else
            {
                verified++;
            }
        }

        return (verified, corrupt);
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }

        _evictionGate.Dispose();
    }

    private static Digest RequireSha256(Digest digest)
    {
        if (digest.IsEmpty || digest.Algorithm != Digest.Sha256Algorithm)
        {
            throw new ArgumentException($"modules are cached by sha256, not '{digest}'", nameof(digest));
        }

        return digest;
    }

    private static bool IsUnchanged(WasmModuleResult module)
    {
        try
        {
            return FileIdentity.Of(module.Path) == module.Identity;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string PathOf(Digest digest) => Path.Combine(_modulesDirectory, digest.Hex);

    private SemaphoreSlim Stripe(Digest digest) => _stripes[int.Parse(digest.Hex.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % StripeCount];

    private async ValueTask<WasmModuleResult?> VerifyAndCountAsync(Entry entry, CancellationToken cancellationToken)
    {
        var module = await VerifyEntryAsync(entry, force: false).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (module is null)
        {
            _metrics.CacheMiss();
        }
        else
        {
            _metrics.CacheHit();
        }

        return module;
    }

    private Task<WasmModuleResult?> VerifyEntryAsync(Entry entry, bool force)
        => _verifications.RunAsync(entry.Digest, (Cache: this, Entry: entry, Force: force), static state => state.Cache.VerifyCoreAsync(state.Entry, state.Force));

    private async Task<WasmModuleResult?> VerifyCoreAsync(Entry entry, bool force)
    {
        using var activity = SourcesActivity.Source.StartActivity("wasmmesh.verify");
        activity?.SetTag("wasmmesh.module.sha256", entry.Digest.Hex);
        var stripe = Stripe(entry.Digest);
        await stripe.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_entries.TryGetValue(entry.Digest, out var current))
            {
                return null;
            }

            if (!force && Volatile.Read(ref current.Module) is { } already && IsUnchanged(already))
            {
                return already;
            }

            var path = PathOf(current.Digest);
            var subject = "cache file " + path;
            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
                var identity = FileIdentity.Of(handle, path);
                var file = new FileStream(handle, FileAccess.Read, bufferSize: 0, isAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    var hashing = new HashingReadStream(file, subject, current.Digest, leaveOpen: true);
                    await using (hashing.ConfigureAwait(false))
                    {
                        var buffered = new BufferedStream(hashing, 1 << 16);
                        await using (buffered.ConfigureAwait(false))
                        {
                            var info = await WasmModuleInspector.InspectAsync(buffered, subject, CancellationToken.None).ConfigureAwait(false);
                            if (hashing.ComputedDigest is null)
                            {
                                await hashing.DrainAsync(CancellationToken.None).ConfigureAwait(false);
                            }

                            if (Volatile.Read(ref current.Module) is { } previous && previous.Identity == identity)
                            {
                                // A scrub of an unchanged file: keep the instance, so that what holds it (the memory cache) stays valid.
                                return previous;
                            }

                            var module = new WasmModuleResult { Sha256 = current.Digest, Size = hashing.BytesRead, Path = path, ProxyAbiVersion = info.ProxyAbiVersion, Identity = identity };
                            Interlocked.Add(ref _totalBytes, module.Size - current.Size);
                            current.Size = module.Size;
                            Volatile.Write(ref current.Module, module);
                            return module;
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                Remove(current, deleteFile: false);
                return null;
            }
            catch (Exception ex) when (ex is DigestMismatchException or InvalidWasmModuleException or IOException or UnauthorizedAccessException)
            {
                _metrics.Corrupt();
                Log.CorruptModule(_logger, current.Digest.Hex, ex is DigestMismatchException mismatch ? $"its content hashes to {mismatch.Actual}" : ex.Message);
                Remove(current, deleteFile: true);
                return null;
            }
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<WasmCacheRetentionResult> EvictAsync(HashSet<Digest> inUse, Digest? keep, CancellationToken cancellationToken)
    {
        var budget = _options.SizeBudgetBytes;
        var evicted = new List<Digest>();
        long freed = 0;
        await _evictionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TotalBytes > budget)
            {
                var candidates = _entries.Values
                    .Where(e => !inUse.Contains(e.Digest) && e.Digest != keep)
                    .OrderBy(e => Volatile.Read(ref e.LastUse))
                    .ToList();
                foreach (var candidate in candidates)
                {
                    if (TotalBytes <= budget)
                    {
                        break;
                    }

                    var stripe = Stripe(candidate.Digest);
                    await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        if (Remove(candidate, deleteFile: true))
                        {
                            evicted.Add(candidate.Digest);
                            freed += candidate.Size;
                            _metrics.Evicted();
                            Log.Evicted(_logger, candidate.Digest.Hex, candidate.Size);
                        }
                    }
                    finally
                    {
                        stripe.Release();
                    }
                }

                if (evicted.Count > 0)
                {
                    Manifests.Prune(_entries.ContainsKey);
                }
            }

            var total = TotalBytes;
            if (total > budget)
            {
                Log.OverBudget(_logger, total, budget);
            }

            return new WasmCacheRetentionResult { Evicted = evicted, BytesFreed = freed, TotalBytes = total, OverBudget = total > budget };
        }
        finally
        {
            _evictionGate.Release();
        }
    }

    private bool Remove(Entry entry, bool deleteFile)
    {
        if (!_entries.TryRemove(new KeyValuePair<Digest, Entry>(entry.Digest, entry)))
        {
            return false;
        }

        Interlocked.Add(ref _totalBytes, -entry.Size);
        if (deleteFile)
        {
            TryDelete(PathOf(entry.Digest));
        }

        return true;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.DeleteFailed(_logger, path, ex.Message);
        }
    }

    private void Scan()
    {
        foreach (var path in Directory.EnumerateFiles(_modulesDirectory))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal))
            {
                TryDelete(path);
                continue;
            }

            if (!Digest.TryFromSha256Hex(name, out var digest))
            {
                continue;
            }

            var info = new FileInfo(path);
            var lastUse = info.LastAccessTimeUtc > info.LastWriteTimeUtc ? info.LastAccessTimeUtc : info.LastWriteTimeUtc;
            if (_entries.TryAdd(digest, new Entry(digest, info.Length, lastUse.Ticks)))
            {
                _totalBytes += info.Length;
            }
        }
    }

    private sealed class Entry(Digest digest, long size, long lastUse)
    {
        public readonly Digest Digest = digest;
        public long Size = size;
        public long LastUse = lastUse;
        public WasmModuleResult? Module;
    }
}
