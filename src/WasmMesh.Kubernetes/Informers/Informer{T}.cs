using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WasmMesh.Kubernetes;

/// <summary>
/// A local cache of one resource type kept current by list-then-watch: lists (in pages), watches from the
/// list's resource version, relists after 410 Gone, reconnects with backoff after a dropped or silent stream,
/// and re-announces everything periodically. Read the cache with <see cref="Get"/>/<see cref="List"/>; receive
/// changes as keyed events from <see cref="WatchChangesAsync"/>. Cached objects do not keep
/// <c>metadata.managedFields</c> (field-ownership records that only the API server uses; with several writers they are
/// often larger than the object), as controller-runtime's <c>TransformStripManagedFields</c> does.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
public sealed partial class Informer<T> : IAsyncDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetesResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _resourceName;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly List<Channel<InformerEvent<T>>> _subscribers = [];
    private readonly Dictionary<string, UndecodableObject> _undecodable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InformerIndex> _indexes = new(StringComparer.Ordinal);
    private readonly List<Channel<UndecodableObject>> _undecodableSubscribers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private ITimer? _resyncTimer;
    private string? _resourceVersion;
    private long _relists;
    private long _watchRestarts;

    /// <summary>Creates an informer; call <see cref="StartAsync"/> to begin.</summary>
    /// <param name="client">The resource client to list and watch with.</param>
    /// <param name="options">Namespace, selectors, timeouts; null for defaults.</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <param name="timeProvider">The clock for backoff, silence detection and resync; null for the system clock.</param>
    public Informer(IKubernetesResourceClient<T> client, InformerOptions? options = null, ILogger<Informer<T>>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new InformerOptions();
        _logger = logger ?? NullLogger<Informer<T>>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _resourceName = client.ResourceType.ToString();
    }

    /// <summary>True once the first list has filled the cache.</summary>
    public bool HasSynced => _synced.Task.IsCompletedSuccessfully;

    /// <summary>The resource version of the last list or event applied to the cache.</summary>
    public string? ResourceVersion => Volatile.Read(ref _resourceVersion);

    /// <summary>How many objects the cache holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _cache.Count;
            }
        }
    }

    /// <summary>How many full lists ran (1 after the initial sync; more after 410 Gone).</summary>
    public long RelistCount => Interlocked.Read(ref _relists);

    /// <summary>How many times the watch was re-established after it ended, dropped or went silent.</summary>
    public long WatchRestartCount => Interlocked.Read(ref _watchRestarts);

    /// <summary>Starts listing and watching in the background; returns at once.</summary>
    /// <param name="cancellationToken">Unused; stop the informer with <see cref="DisposeAsync"/>.</param>
    /// <returns>A completed task.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (_loop is not null)
        {
            throw new InvalidOperationException("The informer is already started.");
        }

        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        if (_options.ResyncPeriod is { } period && period > TimeSpan.Zero)
        {
            _resyncTimer = _time.CreateTimer(_ => Resync(), null, period, period);
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits until the first list has filled the cache.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when synced.</returns>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>The cached object, or null.</summary>
    /// <param name="namespaceName">The namespace; null or empty for cluster-scoped objects.</param>
    /// <param name="name">The name.</param>
    /// <returns>The object or null.</returns>
    public T? Get(string? namespaceName, string name)
    {
        lock (_gate)
        {
            return _cache.TryGetValue(KeyOf(namespaceName, name), out var entry) ? entry.Object : null;
        }
    }

    /// <summary>A snapshot of the cached objects.</summary>
    /// <param name="namespaceName">Only this namespace; null for all.</param>
    /// <returns>The objects.</returns>
    public IReadOnlyList<T> List(string? namespaceName = null)
    {
        lock (_gate)
        {
            return _cache.Values
                .Where(e => namespaceName is null || e.Namespace == namespaceName)
                .Select(e => e.Object)
                .ToList();
        }
    }

    /// <summary>
    /// Adds an index over the cache (client-go's <c>Indexer</c>): <paramref name="indexKeys"/> maps an object to the values
    /// it is found under, kept current on every list and event, so <see cref="ByIndex"/> and <see cref="IndexValues"/> cost
    /// the size of their answer instead of a scan of the cache. Objects already cached are indexed at once.
    /// </summary>
    /// <param name="name">The index name; unique per informer.</param>
    /// <param name="indexKeys">The values an object is indexed under (none to leave it out). Runs under the cache lock on
    /// every change: it must be fast, must not block and must not throw.</param>
    /// <exception cref="ArgumentException">An index of that name exists.</exception>
    public void AddIndex(string name, Func<T, IEnumerable<string>> indexKeys)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(indexKeys);
        lock (_gate)
        {
            if (_indexes.ContainsKey(name))
            {
                throw new ArgumentException($"The informer already has an index named '{name}'.", nameof(name));
            }

            var index = new InformerIndex(indexKeys);
            foreach (var (key, entry) in _cache)
            {
                index.Set(key, entry.Object);
            }

            _indexes.Add(name, index);
        }
    }

    /// <summary>The cached objects indexed under <paramref name="value"/> by the index <paramref name="indexName"/>.</summary>
    /// <param name="indexName">An index added with <see cref="AddIndex"/>.</param>
    /// <param name="value">The indexed value.</param>
    /// <returns>A snapshot of the objects; empty when none.</returns>
    /// <exception cref="ArgumentException">No index of that name.</exception>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (!IndexOf(indexName).Keys.TryGetValue(value, out var keys))
            {
                return [];
            }

            var objects = new List<T>(keys.Count);
            foreach (var key in keys)
            {
                objects.Add(_cache[key].Object);
            }

            return objects;
        }
    }

    /// <summary>The values at least one cached object is indexed under by the index <paramref name="indexName"/>.</summary>
    /// <param name="indexName">An index added with <see cref="AddIndex"/>.</param>
    /// <returns>A snapshot of the values.</returns>
    /// <exception cref="ArgumentException">No index of that name.</exception>
    public IReadOnlyCollection<string> IndexValues(string indexName)
    {
        lock (_gate)
        {
            return [.. IndexOf(indexName).Keys.Keys];
        }
    }

    /// <summary>
    /// Change notifications, in order, keyed by namespace/name. The sequence starts with an
    /// <see cref="InformerEventType.Added"/> event for every object already cached, so a subscriber never misses
    /// an object whenever it subscribes. It ends when the informer is disposed or the token is cancelled.
    /// </summary>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<InformerEvent<T>> WatchChangesAsync(CancellationToken cancellationToken = default) =>
        SubscribeAsync(_subscribers, () => _cache.Values.Select(e => e.ToEvent(InformerEventType.Added)), cancellationToken);

    /// <summary>
    /// The object stored under this key that could not be decoded as <typeparamref name="T"/> (a wrong type, a value the
    /// model refuses), or null. The cache keeps the last good version of such an object, if there was one.
    /// </summary>
    /// <param name="namespaceName">The namespace (null or empty for cluster-scoped objects).</param>
    /// <param name="name">The name.</param>
    /// <returns>The undecodable object, or null when the key's current version decoded (or does not exist).</returns>
    public UndecodableObject? GetUndecodable(string? namespaceName, string name)
    {
        lock (_gate)
        {
            return _undecodable.GetValueOrDefault(KeyOf(namespaceName, name));
        }
    }

    /// <summary>
    /// Streams the objects that cannot be decoded: first every one known now, then each new version that does not decode.
    /// One bad object never stops the informer; this is how its owner learns about it (to report it on the object).
    /// </summary>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The undecodable objects.</returns>
    public IAsyncEnumerable<UndecodableObject> WatchUndecodableAsync(CancellationToken cancellationToken = default) =>
        SubscribeAsync(_undecodableSubscribers, () => _undecodable.Values, cancellationToken);

    /// <summary>A subscription: what <paramref name="current"/> yields under the lock first, then what is published to <paramref name="subscribers"/>.</summary>
    private async IAsyncEnumerable<TItem> SubscribeAsync<TItem>(List<Channel<TItem>> subscribers, Func<IEnumerable<TItem>> current, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<TItem>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            foreach (var item in current())
            {
                channel.Writer.TryWrite(item);
            }

            if (_stop.IsCancellationRequested)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                subscribers.Add(channel);
            }
        }

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            lock (_gate)
            {
                subscribers.Remove(channel);
            }
        }
    }

    /// <summary>Stops the informer and ends all subscriptions.</summary>
    /// <returns>A task that completes when the background loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_resyncTimer is not null)
        {
            await _resyncTimer.DisposeAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                s.Writer.TryComplete();
            }

            foreach (var s in _undecodableSubscribers)
            {
                s.Writer.TryComplete();
            }

            _subscribers.Clear();
            _undecodableSubscribers.Clear();
        }

        _synced.TrySetCanceled();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = _options.InitialBackoff;
        string? resourceVersion = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await RelistAsync(stop).ConfigureAwait(false);
                    backoff = _options.InitialBackoff;
                }

                var (lastVersion, received) = await WatchAsync(resourceVersion, stop).ConfigureAwait(false);
                resourceVersion = lastVersion;
                Interlocked.Increment(ref _watchRestarts);
                KubernetesMetrics.InformerWatchRestarts.Add(1, new KeyValuePair<string, object?>("resource", _resourceName));
                if (received)
                {
                    backoff = _options.InitialBackoff;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (KubernetesApiException ex) when (ex.IsGone)
            {
                LogGone(_logger, _resourceName, resourceVersion);
                resourceVersion = null;
            }
            catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or IOException or TimeoutException or System.Text.Json.JsonException)
            {
                LogFailure(_logger, _resourceName, backoff.TotalSeconds, ex);
                try
                {
                    await Task.Delay(Jitter(backoff), _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken stop)
    {
        var fresh = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var freshBad = new Dictionary<string, UndecodableObject>(StringComparer.Ordinal);
        string? continueToken = null;
        string? listVersion = null;
        do
        {
            ResourceList<T> page;
            try
            {
                page = await _client.ListAsync(_options.Namespace, new ListOptions
                {
                    LabelSelector = _options.LabelSelector,
                    FieldSelector = _options.FieldSelector,
                    Limit = _options.PageSize > 0 ? _options.PageSize : null,
                    Continue = continueToken,
                }, stop).ConfigureAwait(false);
            }
            catch (KubernetesApiException ex) when (ex.IsGone && continueToken is not null)
            {
                // The continue token expired between pages: start the list again.
                fresh.Clear();
                continueToken = null;
                continue;
            }

            foreach (var item in page.Items)
            {
                var meta = item.Metadata;
                meta.ManagedFields = null;
                var entry = new Entry(item, meta.NamespaceProperty ?? string.Empty, meta.Name ?? string.Empty, meta.ResourceVersion);
                fresh[entry.Key] = entry;
            }

            foreach (var bad in page.Undecodable)
            {
                // One object that does not decode never hides the others: keep its last good state, if any.
                LogUndecodable(_logger, _resourceName, bad.Key, bad.Error);
                freshBad[KeyOf(bad.Metadata.NamespaceProperty, bad.Metadata.Name ?? string.Empty)] = bad;
                lock (_gate)
                {
                    if (_cache.TryGetValue(KeyOf(bad.Metadata.NamespaceProperty, bad.Metadata.Name ?? string.Empty), out var previous))
                    {
                        fresh[previous.Key] = previous;
                    }
                }
            }

            listVersion ??= page.Metadata.ResourceVersion;
            continueToken = string.IsNullOrEmpty(page.Metadata.ContinueProperty) ? null : page.Metadata.ContinueProperty;
            if (continueToken is null)
            {
                listVersion = page.Metadata.ResourceVersion ?? listVersion;
            }
        }
        while (continueToken is not null);

        lock (_gate)
        {
            foreach (var (key, entry) in fresh)
            {
                if (!_cache.TryGetValue(key, out var old))
                {
                    Publish(entry.ToEvent(InformerEventType.Added));
                }
                else if (old.ResourceVersion is null || old.ResourceVersion != entry.ResourceVersion)
                {
                    Publish(entry.ToEvent(InformerEventType.Updated, old.Object));
                }
            }

            foreach (var (key, old) in _cache)
            {
                if (!fresh.ContainsKey(key))
                {
                    Publish(old.ToEvent(InformerEventType.Deleted));
                }
            }

            foreach (var key in _undecodable.Keys.Where(k => !freshBad.ContainsKey(k)).ToList())
            {
                _undecodable.Remove(key);
            }

            foreach (var (key, bad) in freshBad)
            {
                SetUndecodable(key, bad);
            }

            var merged = new List<KeyValuePair<string, Entry>>(fresh.Count);
            foreach (var (key, entry) in fresh)
            {
                // Keep the cached instance when unchanged, so readers holding it see a stable object.
                var keep = _cache.TryGetValue(key, out var old) && old.ResourceVersion is not null && old.ResourceVersion == entry.ResourceVersion;
                merged.Add(new(key, keep ? old! : entry));
            }

            _cache.Clear();
            foreach (var index in _indexes.Values)
            {
                index.Clear();
            }

            foreach (var (key, entry) in merged)
            {
                Store(key, entry);
            }

            Volatile.Write(ref _resourceVersion, listVersion);
        }

        Interlocked.Increment(ref _relists);
        KubernetesMetrics.InformerLists.Add(1, new KeyValuePair<string, object?>("resource", _resourceName));
        LogListed(_logger, _resourceName, fresh.Count, listVersion);
        _synced.TrySetResult();
        return listVersion ?? string.Empty;
    }

    private async Task<(string ResourceVersion, bool Received)> WatchAsync(string resourceVersion, CancellationToken stop)
    {
        var timeout = _options.WatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble());
        using var silence = new CancellationTokenSource(_options.SilenceTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, silence.Token);
        var received = false;
        var options = new WatchOptions
        {
            ResourceVersion = resourceVersion,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            AllowWatchBookmarks = true,
            TimeoutSeconds = (int)Math.Max(1, timeout),
        };
        try
        {
            await foreach (var e in _client.WatchAsync(_options.Namespace, options, linked.Token).ConfigureAwait(false))
            {
                silence.CancelAfter(_options.SilenceTimeout);
                received = true;
                if (e.Metadata.ResourceVersion is { Length: > 0 } rv)
                {
                    resourceVersion = rv;
                }

                Apply(e);
            }
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            LogSilent(_logger, _resourceName, _options.SilenceTimeout.TotalSeconds);
        }

        return (resourceVersion, received);
    }

    private void Apply(WatchEvent<T> e)
    {
        if (e.Type == WatchEventType.Bookmark)
        {
            Volatile.Write(ref _resourceVersion, e.Metadata.ResourceVersion);
            return;
        }

        var key = KeyOf(e.Metadata.NamespaceProperty, e.Metadata.Name ?? string.Empty);
        if (e.Object is null)
        {
            LogUndecodable(_logger, _resourceName, key, e.DecodeError ?? "no object");
            lock (_gate)
            {
                if (e.Type == WatchEventType.Deleted)
                {
                    _undecodable.Remove(key);
                    if (Remove(key) is { } gone)
                    {
                        Publish(gone.ToEvent(InformerEventType.Deleted));
                    }
                }
                else
                {
                    SetUndecodable(key, new UndecodableObject(e.Metadata, e.DecodeError ?? "no object"));
                }

                Volatile.Write(ref _resourceVersion, e.Metadata.ResourceVersion);
            }

            return;
        }

        e.Object.Metadata.ManagedFields = null;
        var entry = new Entry(e.Object, e.Metadata.NamespaceProperty ?? string.Empty, e.Metadata.Name ?? string.Empty, e.Metadata.ResourceVersion);
        lock (_gate)
        {
            _undecodable.Remove(entry.Key);
            _cache.TryGetValue(entry.Key, out var old);
            if (e.Type == WatchEventType.Deleted)
            {
                Remove(entry.Key);
                Publish(entry.ToEvent(InformerEventType.Deleted));
            }
            else
            {
                Store(entry.Key, entry);
                Publish(old is null ? entry.ToEvent(InformerEventType.Added) : entry.ToEvent(InformerEventType.Updated, old.Object));
            }

            Volatile.Write(ref _resourceVersion, e.Metadata.ResourceVersion);
        }
    }

    /// <summary>Caches <paramref name="entry"/> under <paramref name="key"/> and re-indexes it (under the lock).</summary>
    private void Store(string key, Entry entry)
    {
        foreach (var index in _indexes.Values)
        {
            index.Set(key, entry.Object);
        }

        _cache[key] = entry;
    }

    /// <summary>Removes the entry under <paramref name="key"/> from the cache and the indexes (under the lock).</summary>
    private Entry? Remove(string key)
    {
        if (!_cache.Remove(key, out var gone))
        {
            return null;
        }

        foreach (var index in _indexes.Values)
        {
            index.Remove(key);
        }

        return gone;
    }

    private InformerIndex IndexOf(string indexName)
    {
        ArgumentNullException.ThrowIfNull(indexName);
        return _indexes.TryGetValue(indexName, out var index)
            ? index
            : throw new ArgumentException($"The informer has no index named '{indexName}'; add it with AddIndex.", nameof(indexName));
    }

    private void Resync()
    {
        lock (_gate)
        {
            foreach (var entry in _cache.Values)
            {
                Publish(entry.ToEvent(InformerEventType.Resync));
            }
        }
    }

    /// <summary>Records an undecodable version (under the lock) and tells subscribers when it is new.</summary>
    private void SetUndecodable(string key, UndecodableObject bad)
    {
        if (_undecodable.TryGetValue(key, out var known) && known.Metadata.ResourceVersion == bad.Metadata.ResourceVersion && known.Error == bad.Error)
        {
            return;
        }

        _undecodable[key] = bad;
        foreach (var s in _undecodableSubscribers)
        {
            s.Writer.TryWrite(bad);
        }
    }

    private void Publish(InformerEvent<T> e)
    {
        foreach (var s in _subscribers)
        {
            s.Writer.TryWrite(e);
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + (Random.Shared.NextDouble() * 0.4));

    private static string KeyOf(string? namespaceName, string name) => string.IsNullOrEmpty(namespaceName) ? name : $"{namespaceName}/{name}";

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Informer for {Resource} listed {Count} objects at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string resource, int count, string? resourceVersion);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Informer for {Resource}: resourceVersion {ResourceVersion} is too old (410 Gone); listing again")]
    private static partial void LogGone(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Informer for {Resource}: list or watch failed; retrying in {BackoffSeconds:0.#} s")]
    private static partial void LogFailure(ILogger logger, string resource, double backoffSeconds, Exception exception);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Informer for {Resource}: skipping {Key}, which cannot be decoded: {Error}")]
    private static partial void LogUndecodable(ILogger logger, string resource, string key, string error);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Informer for {Resource}: the watch was silent for {Seconds} s; reconnecting")]
    private static partial void LogSilent(ILogger logger, string resource, double seconds);

    /// <summary>
    /// One index: indexed value → cache keys, and each key's values as they were computed (so removal never depends on
    /// the cached object being unchanged). Guarded by the informer's lock.
    /// </summary>
    private sealed class InformerIndex(Func<T, IEnumerable<string>> indexKeys)
    {
        private readonly Dictionary<string, string[]> _valuesOf = new(StringComparer.Ordinal);

        public Dictionary<string, HashSet<string>> Keys { get; } = new(StringComparer.Ordinal);

        public void Set(string key, T item)
        {
            Remove(key);
            var values = indexKeys(item).Distinct(StringComparer.Ordinal).ToArray();
            if (values.Length == 0)
            {
                return;
            }

            _valuesOf[key] = values;
            foreach (var value in values)
            {
                if (!Keys.TryGetValue(value, out var keys))
                {
                    Keys[value] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(key);
            }
        }

        public void Remove(string key)
        {
            if (!_valuesOf.Remove(key, out var values))
            {
                return;
            }

            foreach (var value in values)
            {
                if (Keys.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    Keys.Remove(value);
                }
            }
        }

        public void Clear()
        {
            Keys.Clear();
            _valuesOf.Clear();
        }
    }

    private sealed record Entry(T Object, string Namespace, string Name, string? ResourceVersion)
    {
        public string Key => KeyOf(Namespace, Name);

        public InformerEvent<T> ToEvent(InformerEventType type, T? old = null) =>
            new() { Type = type, Namespace = Namespace, Name = Name, Object = Object, OldObject = old };
    }
}
