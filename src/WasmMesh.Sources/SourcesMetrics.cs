using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WasmMesh.Sources;

/// <summary>The instruments of the <c>WasmMesh.Sources</c> meter.</summary>
internal sealed class SourcesMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "WasmMesh.Sources";

    private readonly Meter _meter;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _evictions;
    private readonly Counter<long> _corruptions;
    private readonly Histogram<double> _fetchDuration;
    private readonly Counter<long> _fetchFailures;
    private readonly Counter<long> _fetchedBytes;

    public SourcesMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _cacheHits = _meter.CreateCounter<long>("wasmmesh.sources.cache.hits", "{lookup}", "Lookups answered from a verified cache file.");
        _cacheMisses = _meter.CreateCounter<long>("wasmmesh.sources.cache.misses", "{lookup}", "Lookups for a module the cache did not hold (or held corrupt).");
        _evictions = _meter.CreateCounter<long>("wasmmesh.sources.cache.evictions", "{module}", "Unreferenced modules evicted over the size budget.");
        _corruptions = _meter.CreateCounter<long>("wasmmesh.sources.cache.corruptions", "{module}", "Cache files that failed verification and were deleted.");
        _fetchDuration = _meter.CreateHistogram<double>("wasmmesh.sources.fetch.duration", "s", "Duration of upstream fetches, by source kind and outcome.");
        _fetchFailures = _meter.CreateCounter<long>("wasmmesh.sources.fetch.failures", "{fetch}", "Failed upstream fetches, by source kind and error type.");
        _fetchedBytes = _meter.CreateCounter<long>("wasmmesh.sources.fetch.bytes", "By", "Module bytes downloaded, by source kind.");
    }

    public void ObserveCache(Func<long> totalBytes, Func<int> count)
    {
        _meter.CreateObservableGauge("wasmmesh.sources.cache.size", totalBytes, "By", "Bytes held by the module cache.");
        _meter.CreateObservableGauge("wasmmesh.sources.cache.modules", count, "{module}", "Modules held by the module cache.");
    }

    public void CacheHit() => _cacheHits.Add(1);

    public void CacheMiss() => _cacheMisses.Add(1);

    public void Evicted() => _evictions.Add(1);

    public void Corrupt() => _corruptions.Add(1);

    public void FetchSucceeded(WasmSourceKind kind, TimeSpan duration, long bytes)
    {
        var kindTag = new KeyValuePair<string, object?>("wasmmesh.source.kind", KindName(kind));
        _fetchDuration.Record(duration.TotalSeconds, kindTag, new KeyValuePair<string, object?>("wasmmesh.fetch.outcome", "success"));
        _fetchedBytes.Add(bytes, kindTag);
    }

    public void FetchFailed(WasmSourceKind kind, TimeSpan duration, Exception error)
    {
        var kindTag = new KeyValuePair<string, object?>("wasmmesh.source.kind", KindName(kind));
        _fetchDuration.Record(duration.TotalSeconds, kindTag, new KeyValuePair<string, object?>("wasmmesh.fetch.outcome", "failure"));
        var tags = new TagList { kindTag, { "error.type", error.GetType().Name } };
        _fetchFailures.Add(1, tags);
    }

    public void Dispose() => _meter.Dispose();

    private static string KindName(WasmSourceKind kind) => kind == WasmSourceKind.Registry ? "registry" : "object";
}
