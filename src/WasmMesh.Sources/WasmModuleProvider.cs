using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.Sources;

/// <summary>Fetches, verifies and caches modules; one upstream fetch per source key and per digest at a time.</summary>
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
    private readonly SingleFlight<string, WasmModuleResult> _byDigest = new(StringComparer.Ordinal);
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

    public ValueTask<CachedWasmModule?> FindAsync(Digest sha256, CancellationToken cancellationToken = default)
    {
        return _cache.TryGetVerified(sha256, out var hit)
            ? new ValueTask<CachedWasmModule?>(hit)
            : FindSlowAsync(sha256, cancellationToken);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _lifetime.Cancel();
            _lifetime.Dispose();
        }
    }

    private async ValueTask<CachedWasmModule?> FindSlowAsync(Digest sha256, CancellationToken cancellationToken)
    {
        if (await _cache.TryGetAsync(sha256, cancellationToken).ConfigureAwait(false) is { } hit)
        {
            return hit;
        }

        if (_resolver is null)
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
        var result = await EnsureAsync(request, cancellationToken).ConfigureAwait(false);
        return new CachedWasmModule { Sha256 = result.Sha256, Size = result.Size, Path = result.Path, ProxyAbiVersion = result.ProxyAbiVersion };
    }

    private async Task<WasmModuleResult> EnsureCoreAsync(WasmSourceRequest request)
    {
        if (request.ExpectedSha256 is { } pin)
        {
            if (await _cache.TryGetAsync(pin).ConfigureAwait(false) is { } cached)
            {
                var manifest = request.Image?.Digest;
                string? layout = null;
                if (manifest is { } m && _cache.TryGetManifest(m, out var recorded, out var recordedLayout) && recorded == pin)
                {
                    layout = recordedLayout;
                }

                return ToResult(cached, request.Kind, manifest, layout, downloaded: false);
            }

            return await _byDigest.RunAsync(pin.Hex, (Provider: this, Request: request), static state => state.Provider.FetchAsync(state.Request))
                .ConfigureAwait(false);
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

    private async Task<WasmModuleResult> FetchObjectAsync(WasmSourceRequest request, CancellationToken cancellationToken)
    {
        var response = await _objects.OpenAsync(request.Url!, cancellationToken).ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
        {
            var module = await _cache.StoreAsync(response.Content, request.Description, request.ExpectedSha256, cancellationToken).ConfigureAwait(false);
            return ToResult(module, WasmSourceKind.Object, null, null, downloaded: true);
        }
    }

    private async Task<WasmModuleResult> FetchRegistryAsync(WasmSourceRequest request, CancellationToken cancellationToken)
    {
        var image = request.Image!;
        var manifestDigest = image.Digest ?? await _registry.ResolveAsync(image, request.PullSecret, cancellationToken).ConfigureAwait(false);
        if (request.ExpectedSha256 is null
            && _cache.TryGetManifest(manifestDigest, out var known, out var knownLayout)
            && await _cache.TryGetAsync(known, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return ToResult(cached, WasmSourceKind.Registry, manifestDigest, knownLayout, downloaded: false);
        }

        var pull = await _registry.PullAsync(image.WithDigest(manifestDigest), request.PullSecret, cancellationToken).ConfigureAwait(false);
        await using (pull.ConfigureAwait(false))
        {
            var subject = $"{image} ({pull.Layout})";
            var module = await _cache.StoreAsync(pull.Content, subject, request.ExpectedSha256, cancellationToken).ConfigureAwait(false);
            _cache.RecordManifest(pull.ManifestDigest, module.Sha256, pull.Layout);
            return ToResult(module, WasmSourceKind.Registry, pull.ManifestDigest, pull.Layout, downloaded: true);
        }
    }

    private static WasmModuleResult ToResult(CachedWasmModule module, WasmSourceKind kind, Digest? manifestDigest, string? layout, bool downloaded) => new()
    {
        Sha256 = module.Sha256,
        ManifestDigest = manifestDigest,
        Size = module.Size,
        SourceKind = kind,
        Layout = layout,
        ProxyAbiVersion = module.ProxyAbiVersion,
        Path = module.Path,
        Downloaded = downloaded,
    };

    private static string KindName(WasmSourceKind kind) => kind == WasmSourceKind.Registry ? "registry" : "object";
}
