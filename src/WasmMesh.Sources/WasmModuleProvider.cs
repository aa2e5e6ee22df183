using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace WasmMesh.Sources;

/// <summary>Fetches, verifies and caches modules; one upstream fetch per source, per pinned digest and per manifest or URL at a time.</summary>
internal sealed class WasmModuleProvider : IWasmModuleProvider, IDisposable
{
    private readonly WasmModuleCache _cache;
    private readonly ObjectSource _objects;
    private readonly IRegistryModuleSource _registry;
    private readonly IOptions<WasmSourceOptions> _options;
    private readonly SourcesMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IWasmDigestResolver? _resolver;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SingleFlight<string, WasmModuleResult> _bySource = new(StringComparer.Ordinal);
    private readonly SingleFlight<Digest, WasmModuleResult> _byDigest = new();
    private readonly SingleFlight<string, WasmModuleResult> _fetches = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _checkedObjectSources = new(StringComparer.Ordinal);
    private int _disposed;

    public WasmModuleProvider(
        WasmModuleCache cache,
        ObjectSource objects,
        IRegistryModuleSource registry,
        IOptions<WasmSourceOptions> options,
        SourcesMetrics metrics,
        ILogger<WasmModuleProvider> logger,
        TimeProvider? timeProvider = null,
        IWasmDigestResolver? resolver = null)
    {
        _cache = cache;
        _objects = objects;
        _registry = registry;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _resolver = resolver;
    }

    public Task<WasmModuleResult> EnsureAsync(WasmSourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _bySource.RunAsync(request.SourceKey, (Provider: this, Request: request), static state => state.Provider.EnsureCoreAsync(state.Request))
            .WaitAsync(cancellationToken);
    }

    public async Task<Digest> ResolveManifestAsync(WasmSourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind != WasmSourceKind.Registry)
        {
            throw new ArgumentException("only registry sources have a manifest digest", nameof(request));
        }

        return request.Image!.Digest ?? await _registry.ResolveAsync(request.Image, request.PullSecret, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<WasmModuleResult?> FindAsync(Digest sha256, CancellationToken cancellationToken = default)
        => FindAsync(sha256, fillOnDemand: true, cancellationToken);

    public ValueTask<WasmModuleResult?> FindAsync(Digest sha256, bool fillOnDemand, CancellationToken cancellationToken = default)
    {
        return _cache.TryGetVerified(sha256, out var hit)
            ? new ValueTask<WasmModuleResult?>(hit)
            : FindSlowAsync(sha256, fillOnDemand, cancellationToken);
    }

    public SafeFileHandle? TryOpen(WasmModuleResult cached)
    {
        ArgumentNullException.ThrowIfNull(cached);
        return _cache.TryOpen(cached);
    }

    public bool Contains(Digest sha256) => _cache.Contains(sha256);

    public void MarkUnverified(Digest sha256) => _cache.MarkUnverified(sha256);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _lifetime.Cancel();
            _lifetime.Dispose();
        }
    }

    private async ValueTask<WasmModuleResult?> FindSlowAsync(Digest sha256, bool fillOnDemand, CancellationToken cancellationToken)
    {
        if (await _cache.TryGetAsync(sha256, cancellationToken).ConfigureAwait(false) is { } hit)
        {
            return hit;
        }

        if (!fillOnDemand || _resolver is null)
        {
            return null;
        }

        var request = await _resolver.ResolveAsync(sha256, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return null;
        }

        if (request.ExpectedSha256 != sha256)
        {
            request = request.WithExpectedSha256(sha256);
        }

        Log.FillingOnDemand(_logger, sha256.Hex, request.Description);
        return await EnsureAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WasmModuleResult> EnsureCoreAsync(WasmSourceRequest request)
    {
        if (request.ExpectedSha256 is { } pin)
        {
            // An object pin is checked against the URL's bytes once per source on this replica, whatever the cache holds.
            var urlChecked = request.Kind != WasmSourceKind.Object || _checkedObjectSources.ContainsKey(request.SourceKey);
            if (urlChecked && await _cache.TryGetAsync(pin).ConfigureAwait(false) is { } cached)
            {
                var manifest = request.Image?.Digest;
                string? layout = null;
                if (manifest is { } m && _cache.Manifests.TryGet(m, out var recorded, out var recordedLayout) && recorded == pin)
                {
                    layout = recordedLayout;
                }

                return cached with { SourceKind = request.Kind, ManifestDigest = manifest, Layout = layout, Downloaded = false };
            }

            if (urlChecked)
            {
                return await _byDigest.RunAsync(pin, (Provider: this, Request: request), static state => state.Provider.FetchAsync(state.Request))
                    .ConfigureAwait(false);
            }
        }

        return await FetchAsync(request).ConfigureAwait(false);
    }

    private async Task<WasmModuleResult> FetchAsync(WasmSourceRequest request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var limit = _options.Value.Timeout;
        timeout.CancelAfter(limit);
        var started = _time.GetTimestamp();
        using var activity = SourcesActivity.Source.StartActivity("wasmmesh.fetch", ActivityKind.Client);
        activity?.SetTag("wasmmesh.source.kind", KindName(request.Kind));
        activity?.SetTag("wasmmesh.source", request.Description);
        try
        {
            var result = request.Kind == WasmSourceKind.Registry
                ? await FetchRegistryAsync(request, timeout.Token).ConfigureAwait(false)
                : await FetchObjectAsync(request, timeout.Token).ConfigureAwait(false);
            if (request.ExpectedSha256 is { } pin && pin != result.Sha256)
            {
                // The fetch was shared with a request for the same bytes that carried no (or another) pin.
                throw new DigestMismatchException(pin, result.Sha256, request.Description);
            }

            if (request.Kind == WasmSourceKind.Object && request.ExpectedSha256 is not null)
            {
                _checkedObjectSources.TryAdd(request.SourceKey, 0);
            }

            var elapsed = _time.GetElapsedTime(started);
            activity?.SetTag("wasmmesh.module.sha256", result.Sha256.Hex);
            if (result.Downloaded)
            {
                _metrics.FetchSucceeded(request.Kind, elapsed, result.Size);
                Log.Fetched(_logger, result.Sha256.Hex, result.Size, KindName(request.Kind), request.Description, elapsed.TotalSeconds);
            }

            return result;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !_lifetime.IsCancellationRequested)
        {
            var error = new WasmSourceException(request.Kind, request.Description, $"no complete answer within {limit.TotalSeconds:0.###}s (the Timeout option)", innerException: ex);
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            Failed(request, started, error);
            throw error;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            Failed(request, started, ex);
            throw;
        }
    }

    private void Failed(WasmSourceRequest request, long started, Exception error)
    {
        var elapsed = _time.GetElapsedTime(started);
        _metrics.FetchFailed(request.Kind, elapsed, error);
        Log.FetchFailed(_logger, KindName(request.Kind), request.Description, elapsed.TotalSeconds, error.Message);
    }

    private Task<WasmModuleResult> FetchObjectAsync(WasmSourceRequest request, CancellationToken cancellationToken)
    {
        // One download per URL at a time, whichever requests (pinned or not) want its bytes.
        var key = WasmSourceRequest.ForObject(request.Url!).SourceKey;
        return _fetches.RunAsync(key, (Provider: this, Request: request, Token: cancellationToken), static state => state.Provider.DownloadObjectAsync(state.Request, state.Token));
    }

    private async Task<WasmModuleResult> DownloadObjectAsync(WasmSourceRequest request, CancellationToken cancellationToken)
    {
        var response = await _objects.OpenAsync(request.Url!, cancellationToken).ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
        {
            var module = await _cache.StoreAsync(response.Content, null, request.Description, request.ExpectedSha256, cancellationToken).ConfigureAwait(false);
            return module with { SourceKind = WasmSourceKind.Object, Downloaded = true, FetchedFrom = request.Description };
        }
    }

    private async Task<WasmModuleResult> FetchRegistryAsync(WasmSourceRequest request, CancellationToken cancellationToken)
    {
        var image = request.Image!;
        var manifestDigest = image.Digest ?? await _registry.ResolveAsync(image, request.PullSecret, cancellationToken).ConfigureAwait(false);
        if (_cache.Manifests.TryGet(manifestDigest, out var known, out var knownLayout)
            && (request.ExpectedSha256 is null || request.ExpectedSha256 == known)
            && await _cache.TryGetAsync(known, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return cached with { SourceKind = WasmSourceKind.Registry, ManifestDigest = manifestDigest, Layout = knownLayout, Downloaded = false };
        }

        // One pull per manifest at a time: a reconcile that resolved a tag and an on-demand fill pinned to the
        // module's digest (and so to the same manifest) share it.
        var byDigest = image with { Tag = null, Digest = manifestDigest };
        var pinned = WasmSourceRequest.ForRegistry(byDigest, request.PullSecret, request.ExpectedSha256);
        var key = WasmSourceRequest.ForRegistry(byDigest, request.PullSecret).SourceKey;
        return await _fetches.RunAsync(key, (Provider: this, Request: pinned, Token: cancellationToken), static state => state.Provider.PullAsync(state.Request, state.Token))
            .ConfigureAwait(false);
    }

    private async Task<WasmModuleResult> PullAsync(WasmSourceRequest request, CancellationToken cancellationToken)
    {
        var image = request.Image!;
        var pull = await _registry.PullAsync(image, request.PullSecret, cancellationToken).ConfigureAwait(false);
        await using (pull.ConfigureAwait(false))
        {
            var subject = $"{image} ({pull.Layout})";
            var module = await _cache.StoreAsync(pull.Content, pull.VerifiedSha256, subject, request.ExpectedSha256, cancellationToken).ConfigureAwait(false);
            _cache.Manifests.Record(pull.ManifestDigest, module.Sha256, pull.Layout);
            return module with { SourceKind = WasmSourceKind.Registry, ManifestDigest = pull.ManifestDigest, Layout = pull.Layout, Downloaded = true, FetchedFrom = pull.FetchedFrom };
        }
    }

    private static string KindName(WasmSourceKind kind) => kind == WasmSourceKind.Registry ? "registry" : "object";
}
