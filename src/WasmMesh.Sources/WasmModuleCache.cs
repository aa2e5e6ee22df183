using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.Sources;

/// <summary>The content-addressed module cache on disk.</summary>
internal sealed class WasmModuleCache : IWasmModuleCache, IDisposable
{
    private const string TempPrefix = ".tmp-";
    private const int StripeCount = 64;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ManifestRecord> _manifests = new(StringComparer.Ordinal);
    private readonly SingleFlight<string, CachedWasmModule?> _verifications = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly SemaphoreSlim _evictionGate = new(1, 1);
    private readonly WasmCacheOptions _options;
    private readonly IOptions<WasmSourceOptions> _sourceOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SourcesMetrics _metrics;
    private readonly string _modulesDirectory;
    private readonly string _manifestsDirectory;
    private HashSet<string>? _inUse;
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
        _manifestsDirectory = Path.Combine(root, "manifests", Digest.Sha256Algorithm);
        Directory.CreateDirectory(_modulesDirectory);
        Directory.CreateDirectory(_manifestsDirectory);
        Scan();
        metrics.ObserveCache(() => Interlocked.Read(ref _totalBytes), () => _entries.Count);
        Log.CacheOpened(_logger, root, _entries.Count, TotalBytes);
    }

    public int Count => _entries.Count;

    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>The digests of every cached module, verified or not.</summary>
    public IReadOnlyList<Digest> Digests => [.. _entries.Keys.Select(Digest.FromSha256Hex)];

    public bool Contains(Digest sha256) => _entries.ContainsKey(RequireSha256(sha256));

    public ValueTask<CachedWasmModule?> TryGetAsync(Digest sha256, CancellationToken cancellationToken = default)
    {
        var hex = RequireSha256(sha256);
        if (!_entries.TryGetValue(hex, out var entry))
        {
            _metrics.CacheMiss();
            return new ValueTask<CachedWasmModule?>((CachedWasmModule?)null);
        }

        Volatile.Write(ref entry.LastUse, _time.GetUtcNow().UtcTicks);
        var module = Volatile.Read(ref entry.Module);
        if (module is not null)
        {
            _metrics.CacheHit();
            return new ValueTask<CachedWasmModule?>(module);
        }

        return VerifyAndCountAsync(entry, cancellationToken);
    }

    /// <summary>The synchronous fast path: a module already verified since start, counted as a hit; <see langword="false"/> otherwise (nothing counted).</summary>
    public bool TryGetVerified(Digest sha256, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CachedWasmModule? module)
    {
        if (_entries.TryGetValue(RequireSha256(sha256), out var entry) && Volatile.Read(ref entry.Module) is { } verified)
        {
            Volatile.Write(ref entry.LastUse, _time.GetUtcNow().UtcTicks);
            _metrics.CacheHit();
            module = verified;
            return true;
        }

        module = null;
        return false;
    }

    public async Task<bool> VerifyAsync(Digest sha256, CancellationToken cancellationToken = default)
    {
        var hex = RequireSha256(sha256);
        if (!_entries.TryGetValue(hex, out var entry))
        {
            return false;
        }

        Volatile.Write(ref entry.Module, null);
        return await VerifyEntryAsync(entry).WaitAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public void MarkUnverified(Digest sha256)
    {
        if (_entries.TryGetValue(RequireSha256(sha256), out var entry))
        {
            Volatile.Write(ref entry.Module, null);
        }
    }

    public async Task<CachedWasmModule> StoreAsync(Stream content, string subject, Digest? expectedSha256 = null, CancellationToken cancellationToken = default)
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
                var hashing = new HashingReadStream(content, subject, expectedSha256, sourceOptions.MaxModuleSize, leaveOpen: true) { LimitRemedy = sourceOptions.MaxModuleSizeRemedy };
                await using (hashing.ConfigureAwait(false))
                {
                    var buffered = new BufferedStream(new TeeReadStream(hashing, file), 1 << 16);
                    await using (buffered.ConfigureAwait(false))
                    {
                        info = await WasmModuleInspector.InspectAsync(buffered, subject, cancellationToken).ConfigureAwait(false);
                        digest = hashing.ComputedDigest ?? await hashing.DrainAsync(cancellationToken).ConfigureAwait(false);
                        size = hashing.BytesRead;
                    }
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            if (sourceOptions.RequireProxyWasmAbi && !info.IsProxyWasm)
            {
                throw new InvalidWasmModuleException(subject, $"it exports no {WasmModuleInspector.ProxyAbiExportPrefix}* function, so Envoy cannot run it as a proxy-wasm filter (the RequireProxyWasmAbi option is on)", 0);
            }

            var path = PathOf(digest.Hex);
            var module = new CachedWasmModule { Sha256 = digest, Size = size, Path = path, ProxyAbiVersion = info.ProxyAbiVersion };
            var stripe = Stripe(digest.Hex);
            await stripe.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                File.Move(temp, path, overwrite: true);
                var entry = new Entry(digest.Hex, size, _time.GetUtcNow().UtcTicks) { Module = module };
                _entries.AddOrUpdate(
                    digest.Hex,
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
                await EvictAsync(inUse, digest.Hex, CancellationToken.None).ConfigureAwait(false);
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
        var set = new HashSet<string>(inUse.Count, StringComparer.Ordinal);
        foreach (var digest in inUse)
        {
            set.Add(RequireSha256(digest));
        }

        Volatile.Write(ref _inUse, set);
        return await EvictAsync(set, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hashes every cached module not verified yet; used at startup when <see cref="WasmCacheOptions.VerifyOnStartup"/> is on.</summary>
    public async Task<(int Verified, int Corrupt)> VerifyAllAsync(CancellationToken cancellationToken)
    {
        int verified = 0, corrupt = 0;
        foreach (var entry in _entries.Values)
        {
            if (Volatile.Read(ref entry.Module) is not null)
            {
                continue;
            }

            if (await VerifyEntryAsync(entry).WaitAsync(cancellationToken).ConfigureAwait(false) is null)
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

    /// <summary>The module a registry manifest was last seen to hold, when that module is still recorded.</summary>
    public bool TryGetManifest(Digest manifestDigest, out Digest sha256, out string? layout)
    {
        if (manifestDigest.Algorithm == Digest.Sha256Algorithm && _manifests.TryGetValue(manifestDigest.Hex, out var record))
        {
            sha256 = record.Module;
            layout = record.Layout;
            return true;
        }

        sha256 = default;
        layout = null;
        return false;
    }

    /// <summary>Records which module a registry manifest holds, so that a tag resolving to a known manifest needs no pull.</summary>
    public void RecordManifest(Digest manifestDigest, Digest sha256, string? layout)
    {
        if (manifestDigest.Algorithm != Digest.Sha256Algorithm)
        {
            return;
        }

        var record = new ManifestRecord(sha256, layout);
        if (_manifests.TryGetValue(manifestDigest.Hex, out var existing) && existing == record)
        {
            return;
        }

        var path = Path.Combine(_manifestsDirectory, manifestDigest.Hex);
        var temp = Path.Combine(_manifestsDirectory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(temp, sha256.Hex + "\n" + (layout ?? string.Empty) + "\n");
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException ex)
        {
            TryDelete(temp);
            Log.DeleteFailed(_logger, path, ex.Message);
        }

        _manifests[manifestDigest.Hex] = record;
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }

        _evictionGate.Dispose();
    }

    private static string RequireSha256(Digest digest)
    {
        if (digest.IsEmpty || digest.Algorithm != Digest.Sha256Algorithm)
        {
            throw new ArgumentException($"modules are cached by sha256, not '{digest}'", nameof(digest));
        }

        return digest.Hex;
    }

    private static bool IsSha256Hex(string name) => name.Length == 64 && name.All(static c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private string PathOf(string hex) => Path.Combine(_modulesDirectory, hex);

    private SemaphoreSlim Stripe(string hex) => _stripes[int.Parse(hex.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % StripeCount];

    private async ValueTask<CachedWasmModule?> VerifyAndCountAsync(Entry entry, CancellationToken cancellationToken)
    {
        var module = await VerifyEntryAsync(entry).WaitAsync(cancellationToken).ConfigureAwait(false);
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

    private Task<CachedWasmModule?> VerifyEntryAsync(Entry entry) => _verifications.RunAsync(entry.Hex, (Cache: this, Entry: entry), static state => state.Cache.VerifyCoreAsync(state.Entry));

    private async Task<CachedWasmModule?> VerifyCoreAsync(Entry entry)
    {
        using var activity = SourcesActivity.Source.StartActivity("wasmmesh.verify");
        activity?.SetTag("wasmmesh.module.sha256", entry.Hex);
        var stripe = Stripe(entry.Hex);
        await stripe.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_entries.TryGetValue(entry.Hex, out var current))
            {
                return null;
            }

            if (Volatile.Read(ref current.Module) is { } already)
            {
                return already;
            }

            var path = PathOf(current.Hex);
            var digest = Digest.FromSha256Hex(current.Hex);
            try
            {
                var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (file.ConfigureAwait(false))
                {
                    var hashing = new HashingReadStream(file, "cache file " + path, digest, leaveOpen: true);
                    await using (hashing.ConfigureAwait(false))
                    {
                        var buffered = new BufferedStream(hashing, 1 << 16);
                        await using (buffered.ConfigureAwait(false))
                        {
                            var info = await WasmModuleInspector.InspectAsync(buffered, "cache file " + path, CancellationToken.None).ConfigureAwait(false);
                            if (hashing.ComputedDigest is null)
                            {
                                await hashing.DrainAsync(CancellationToken.None).ConfigureAwait(false);
                            }

                            var module = new CachedWasmModule { Sha256 = digest, Size = hashing.BytesRead, Path = path, ProxyAbiVersion = info.ProxyAbiVersion };
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
                Log.CorruptModule(_logger, current.Hex, ex is DigestMismatchException mismatch ? $"its content hashes to {mismatch.Actual}" : ex.Message);
                Remove(current, deleteFile: true);
                return null;
            }
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<WasmCacheRetentionResult> EvictAsync(HashSet<string> inUse, string? keep, CancellationToken cancellationToken)
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
                    .Where(e => !inUse.Contains(e.Hex) && e.Hex != keep)
                    .OrderBy(e => Volatile.Read(ref e.LastUse))
                    .ToList();
                foreach (var candidate in candidates)
                {
                    if (TotalBytes <= budget)
                    {
                        break;
                    }

                    var stripe = Stripe(candidate.Hex);
                    await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        if (Remove(candidate, deleteFile: true))
                        {
                            evicted.Add(Digest.FromSha256Hex(candidate.Hex));
                            freed += candidate.Size;
                            _metrics.Evicted();
                            Log.Evicted(_logger, candidate.Hex, candidate.Size);
                        }
                    }
                    finally
                    {
                        stripe.Release();
                    }
                }

                if (evicted.Count > 0)
                {
                    PruneManifests();
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

    private void PruneManifests()
    {
        foreach (var (hex, record) in _manifests)
        {
            if (!_entries.ContainsKey(record.Module.Hex) && _manifests.TryRemove(new KeyValuePair<string, ManifestRecord>(hex, record)))
            {
                TryDelete(Path.Combine(_manifestsDirectory, hex));
            }
        }
    }

    private bool Remove(Entry entry, bool deleteFile)
    {
        if (!_entries.TryRemove(new KeyValuePair<string, Entry>(entry.Hex, entry)))
        {
            return false;
        }

        Interlocked.Add(ref _totalBytes, -entry.Size);
        if (deleteFile)
        {
            TryDelete(PathOf(entry.Hex));
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

            if (!IsSha256Hex(name))
            {
                continue;
            }

            var info = new FileInfo(path);
            var lastUse = info.LastAccessTimeUtc > info.LastWriteTimeUtc ? info.LastAccessTimeUtc : info.LastWriteTimeUtc;
            if (_entries.TryAdd(name, new Entry(name, info.Length, lastUse.Ticks)))
            {
                _totalBytes += info.Length;
            }
        }

        foreach (var path in Directory.EnumerateFiles(_manifestsDirectory))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal))
            {
                TryDelete(path);
                continue;
            }

            if (!IsSha256Hex(name))
            {
                continue;
            }

            try
            {
                var lines = File.ReadAllLines(path);
                if (lines.Length >= 1 && IsSha256Hex(lines[0]))
                {
                    _manifests[name] = new ManifestRecord(Digest.FromSha256Hex(lines[0]), lines.Length > 1 && lines[1].Length > 0 ? lines[1] : null);
                }
            }
            catch (IOException ex)
            {
                Log.DeleteFailed(_logger, path, ex.Message);
            }
        }
    }

    private sealed class Entry(string hex, long size, long lastUse)
    {
        public readonly string Hex = hex;
        public long Size = size;
        public long LastUse = lastUse;
        public CachedWasmModule? Module;
    }

    private sealed record ManifestRecord(Digest Module, string? Layout);
}
