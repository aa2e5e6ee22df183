using Microsoft.Extensions.Time.Testing;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using WasmMesh.Testing;
using Xunit;

namespace WasmMesh.Kubernetes.Tests;

public sealed class InformerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitForSyncAsync_ExistingObjects_CachedAndAnnouncedAsAdded()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "a"), cancellationToken: _ct);
        await widgets.CreateAsync(Widgets.New(ns, "b"), cancellationToken: _ct);

        await using var informer = new Informer<Widget>(widgets, new InformerOptions { Namespace = ns, PageSize = 1 });
        Assert.False(informer.HasSynced);
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);

        Assert.True(informer.HasSynced);
        Assert.Equal(2, informer.Count);
        Assert.Equal(1, informer.Get(ns, "a")!.Spec!.Size);
        Assert.Equal(["a", "b"], informer.List(ns).Select(w => w.Metadata.Name).Order());

        var keys = new List<string>();
        await foreach (var e in informer.WatchChangesAsync(_ct))
        {
            Assert.Equal(InformerEventType.Added, e.Type);
            keys.Add(e.Key);
            if (keys.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([$"{ns}/a", $"{ns}/b"], keys.Order());
    }

    [Fact]
    public async Task Cache_ListedAndWatchedObjects_KeepNoManagedFields()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var write = new WriteOptions { FieldManager = "tests" };
        await widgets.CreateAsync(Widgets.New(ns, "listed"), write, _ct);
        await using var informer = new Informer<Widget>(widgets, new InformerOptions { Namespace = ns });
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);
        await widgets.CreateAsync(Widgets.New(ns, "watched"), write, _ct);
        for (var i = 0; i < 400 && informer.Get(ns, "watched") is null; i++)
        {
            await Task.Delay(50, _ct);
        }

        foreach (var name in new[] { "listed", "watched" })
        {
            Assert.NotEmpty((await widgets.GetAsync(ns, name, _ct)).Metadata.ManagedFields!);
            var cached = informer.Get(ns, name);
            Assert.NotNull(cached);
            Assert.Null(cached.Metadata.ManagedFields);
            Assert.Equal(name, cached.Metadata.Name);
        }
    }

    [Fact]
    public async Task WatchChangesAsync_LiveChanges_ArriveAsKeyedEventsWithOldState()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await using var informer = new Informer<Widget>(widgets, new InformerOptions { Namespace = ns });
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);
        var events = new List<InformerEvent<Widget>>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var reader = Task.Run(async () =>
        {
            await foreach (var e in informer.WatchChangesAsync(cts.Token))
            {
                events.Add(e);
                if (e.Type == InformerEventType.Deleted)
                {
                    return;
                }
            }
        }, _ct);

        await widgets.CreateAsync(Widgets.New(ns, "w", size: 1), cancellationToken: _ct);
        await widgets.PatchAsync(ns, "w", KubernetesPatch.Merge("""{"spec":{"size":2}}"""), cancellationToken: _ct);
        await widgets.DeleteAsync(ns, "w", cancellationToken: _ct);
        await reader;

        Assert.Equal([InformerEventType.Added, InformerEventType.Updated, InformerEventType.Deleted], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal($"{ns}/w", e.Key));
        Assert.Equal(1, events[1].OldObject!.Spec!.Size);
        Assert.Equal(2, events[1].Object.Spec!.Size);
        Assert.Null(informer.Get(ns, "w"));
    }

    [Fact]
    public async Task Informer_WatchStreamsDropped_ReconnectsWithoutLosingChanges()
    {
        await using var server = new KubernetesTestServer();
        await server.StartAsync(_ct);
        await server.ApplyYamlAsync(Widgets.Crd, _ct);
        using var client = new k8s.Kubernetes(server.ClientConfiguration);
        var secrets = Widgets.Client(client);
        await using var informer = new Informer<Widget>(secrets, new InformerOptions { Namespace = "default", InitialBackoff = TimeSpan.FromMilliseconds(10) });
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);

        for (var i = 0; i < 20; i++)
        {
            await secrets.CreateAsync(Widgets.New("default", $"s{i}"), cancellationToken: _ct);
            if (i % 5 == 0)
            {
                server.DropWatches();
            }
        }

        await Eventually(() => informer.Count == 20);
        Assert.True(informer.WatchRestartCount >= 1);
        Assert.Equal(1, informer.RelistCount);
    }

    [Fact]
    public async Task Index_CreatesUpdatesAndDeletes_KeepsByIndexAndValuesCurrent()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "a", color: "red"), cancellationToken: _ct);
        await widgets.CreateAsync(Widgets.New(ns, "b", color: "red"), cancellationToken: _ct);
        await using var informer = new Informer<Widget>(widgets, new InformerOptions { Namespace = ns });
        informer.AddIndex("color", w => w.Spec?.Color is { } c ? [c] : []);
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);

        // Listed objects are indexed; an index added after the sync indexes what is cached already.
        Assert.Equal(["a", "b"], informer.ByIndex("color", "red").Select(w => w.Metadata.Name).Order());
        informer.AddIndex("size", w => w.Spec?.Size is int size ? [size.ToString(System.Globalization.CultureInfo.InvariantCulture), "any"] : ["any"]);
        Assert.Equal(2, informer.ByIndex("size", "any").Count);

        await widgets.CreateAsync(Widgets.New(ns, "c", color: "blue"), cancellationToken: _ct);
        await widgets.PatchAsync(ns, "a", KubernetesPatch.Merge("""{"spec":{"color":"blue","size":3}}"""), cancellationToken: _ct);
        await widgets.DeleteAsync(ns, "b", cancellationToken: _ct);
        await Eventually(() => informer.Get(ns, "b") is null && informer.Get(ns, "a")?.Spec?.Color == "blue" && informer.Get(ns, "c") is not null);

        Assert.Empty(informer.ByIndex("color", "red"));
        Assert.Equal(["a", "c"], informer.ByIndex("color", "blue").Select(w => w.Metadata.Name).Order());
        Assert.Equal(["blue"], informer.IndexValues("color"));
        Assert.Equal(["1", "3", "any"], informer.IndexValues("size").Order(StringComparer.Ordinal));
        Assert.Equal(["c"], informer.ByIndex("size", "1").Select(w => w.Metadata.Name));
        Assert.Empty(informer.ByIndex("color", "green"));

        var duplicate = Assert.Throws<ArgumentException>(() => informer.AddIndex("color", _ => []));
        Assert.Contains("already has an index named 'color'", duplicate.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() => informer.ByIndex("shape", "round"));
        Assert.Contains("no index named 'shape'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_RelistAfterCompaction_DropsMissedDeletionsAndAddsMissedObjects()
    {
        await using var server = new KubernetesTestServer();
        await server.StartAsync(_ct);
        await server.ApplyYamlAsync(Widgets.Crd, _ct);
        using var client = new k8s.Kubernetes(server.ClientConfiguration);
        var widgets = Widgets.Client(client);
        await widgets.CreateAsync(Widgets.New("default", "stays", color: "red"), cancellationToken: _ct);
        await widgets.CreateAsync(Widgets.New("default", "goes", color: "red"), cancellationToken: _ct);
        var gated = new GatedResourceClient<Widget>(widgets);
        await using var informer = new Informer<Widget>(gated, new InformerOptions { Namespace = "default", InitialBackoff = TimeSpan.FromMilliseconds(10) });
        informer.AddIndex("color", w => w.Spec?.Color is { } c ? [c] : []);
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);
        Assert.Equal(2, informer.ByIndex("color", "red").Count);

        await DisconnectAsync(server, gated);
        await widgets.DeleteAsync("default", "goes", cancellationToken: _ct);
        await widgets.CreateAsync(Widgets.New("default", "new", color: "green"), cancellationToken: _ct);
        server.CompactHistory();
        gated.Open();

        await Eventually(() => informer.RelistCount >= 2 && informer.Get("default", "new") is not null);
        Assert.Equal(["stays"], informer.ByIndex("color", "red").Select(w => w.Metadata.Name));
        Assert.Equal(["new"], informer.ByIndex("color", "green").Select(w => w.Metadata.Name));
        Assert.Equal(["green", "red"], informer.IndexValues("color").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Informer_ResumeVersionCompactedWhileDisconnected_RelistsAndReportsMissedChanges()
    {
        await using var server = new KubernetesTestServer();
        await server.StartAsync(_ct);
        await server.ApplyYamlAsync(Widgets.Crd, _ct);
        using var client = new k8s.Kubernetes(server.ClientConfiguration);
        var secrets = Widgets.Client(client);
        await secrets.CreateAsync(Widgets.New("default", "stays"), cancellationToken: _ct);
        await secrets.CreateAsync(Widgets.New("default", "goes"), cancellationToken: _ct);
        var gated = new GatedResourceClient<Widget>(secrets);
        await using var informer = new Informer<Widget>(gated, new InformerOptions { Namespace = "default", InitialBackoff = TimeSpan.FromMilliseconds(10) });
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);
        var events = new List<InformerEvent<Widget>>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(120));
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in informer.WatchChangesAsync(cts.Token))
                {
                    lock (events)
                    {
                        events.Add(e);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, _ct);

        await DisconnectAsync(server, gated);

        await secrets.DeleteAsync("default", "goes", cancellationToken: _ct);
        await secrets.CreateAsync(Widgets.New("default", "new"), cancellationToken: _ct);
        server.CompactHistory();
        gated.Open();

        await Eventually(() => informer.RelistCount >= 2 && informer.Get("default", "new") is not null);
        Assert.Null(informer.Get("default", "goes"));
        await Eventually(() =>
        {
            lock (events)
            {
                return events.Any(e => e.Type == InformerEventType.Deleted && e.Name == "goes") && events.Any(e => e.Type == InformerEventType.Added && e.Name == "new");
            }
        });
        await cts.CancelAsync();
        await reader;
        Assert.DoesNotContain(events, e => e.Name == "stays" && e.Type == InformerEventType.Updated);
    }

    [Fact]
    public async Task Informer_ObjectThatDoesNotDecode_IsKnownByKeyStreamedAndForgottenOnceFixed()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "good"), cancellationToken: _ct);
        await fixture.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            System.Text.Json.Nodes.JsonNode.Parse($$$"""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"bad","namespace":"{{{ns}}}"},"spec":{"size":"not a number"}}"""),
            "example.com", "v1", ns, "widgets", cancellationToken: _ct);
        await using var informer = new Informer<Widget>(widgets, new InformerOptions { Namespace = ns });
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);

        // Listed: the bad object is known by its key with the field path; the good one is cached as usual.
        Assert.NotNull(informer.Get(ns, "good"));
        Assert.Null(informer.Get(ns, "bad"));
        Assert.Contains("spec.size", informer.GetUndecodable(ns, "bad")!.Error, StringComparison.Ordinal);
        Assert.Null(informer.GetUndecodable(ns, "good"));

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        await using var stream = informer.WatchUndecodableAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal($"{ns}/bad", stream.Current.Key);

        // A good object turning bad through the watch: streamed, and its last good version stays cached.
        await fixture.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"size":"two"}}""", V1Patch.PatchType.MergePatch), "example.com", "v1", ns, "widgets", "good", cancellationToken: _ct);
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal($"{ns}/good", stream.Current.Key);
        Assert.NotNull(informer.GetUndecodable(ns, "good"));
        Assert.NotNull(informer.Get(ns, "good"));

        // Fixed: forgotten.
        await fixture.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"size":3}}""", V1Patch.PatchType.MergePatch), "example.com", "v1", ns, "widgets", "bad", cancellationToken: _ct);
        await Eventually(() => informer.GetUndecodable(ns, "bad") is null && informer.Get(ns, "bad") is not null);
        Assert.Equal(3, informer.Get(ns, "bad")!.Spec!.Size);
    }

    [Fact]
    public async Task Informer_SilentWatch_ReconnectsAfterSilenceTimeout()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeResourceClient(listVersion: "10");
        await using var informer = new Informer<Widget>(fake, new InformerOptions { SilenceTimeout = TimeSpan.FromMinutes(3), ResyncPeriod = null }, timeProvider: time);
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);
        await Eventually(() => fake.WatchCalls == 1);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, fake.WatchCalls);
        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually(() => fake.WatchCalls == 2);
        Assert.Equal("10", fake.LastWatchVersion);
        Assert.Equal(1, informer.RelistCount);
    }

    [Fact]
    public async Task Informer_ListFails_RetriesAfterBackoff()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeResourceClient(listVersion: "5") { ListFailures = 1 };
        await using var informer = new Informer<Widget>(fake, new InformerOptions { InitialBackoff = TimeSpan.FromSeconds(1), ResyncPeriod = null }, timeProvider: time);
        await informer.StartAsync(_ct);
        await Eventually(() => fake.ListCalls == 1);
        Assert.False(informer.HasSynced);

        // The retry timer is armed asynchronously after the failed list: keep moving the clock until it fires.
        await Eventually(() =>
        {
            time.Advance(TimeSpan.FromSeconds(2));
            return informer.HasSynced;
        });
        Assert.Equal(2, fake.ListCalls);
        Assert.Equal(1, informer.Count);
    }

    [Fact]
    public async Task Informer_ResyncPeriod_ReannouncesEveryCachedObject()
    {
        var time = new FakeTimeProvider();
        var fake = new FakeResourceClient(listVersion: "5");
        await using var informer = new Informer<Widget>(fake, new InformerOptions { ResyncPeriod = TimeSpan.FromMinutes(10), SilenceTimeout = TimeSpan.FromHours(1) }, timeProvider: time);
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var seen = new List<InformerEventType>();
        await foreach (var e in informer.WatchChangesAsync(cts.Token))
        {
            seen.Add(e.Type);
            if (seen.Count == 1)
            {
                time.Advance(TimeSpan.FromMinutes(10));
            }
            else
            {
                break;
            }
        }

        Assert.Equal([InformerEventType.Added, InformerEventType.Resync], seen);
    }

    /// <summary>Holds the informer's next watch at the gate and drops the current one: changes made now reach it only by a relist or a resumed watch.</summary>
    private static async Task DisconnectAsync(KubernetesTestServer server, GatedResourceClient<Widget> gated)
    {
        await Eventually(() => gated.WatchCalls >= 1);
        gated.Close();

        // A watch call counts before the server registers its stream: keep dropping until the informer is back at the gate.
        await Eventually(() =>
        {
            server.DropWatches();
            return gated.Waiting;
        });
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 2400 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "the condition did not become true within 60 s");
    }

    /// <summary>Delegates to a real client but can hold new watches until opened.</summary>
    private sealed class GatedResourceClient<T>(IKubernetesResourceClient<T> inner) : IKubernetesResourceClient<T>
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        private TaskCompletionSource _gate = CompletedGate();
        private int _watchCalls;

        public int WatchCalls => Volatile.Read(ref _watchCalls);

        private volatile bool _waiting;

        public bool Waiting
        {
            get => _waiting;
            private set => _waiting = value;
        }

        public KubernetesResourceType ResourceType => inner.ResourceType;

        public void Close() => Volatile.Write(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public void Open() => Volatile.Read(ref _gate).TrySetResult();

        public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? namespaceName = null, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _watchCalls);

            // One read of the gate: a Close() between the flag and the wait must not hold this call with Waiting false.
            var gate = Volatile.Read(ref _gate);
            Waiting = !gate.Task.IsCompleted;
            await gate.Task.WaitAsync(cancellationToken);
            Waiting = false;
            await foreach (var e in inner.WatchAsync(namespaceName, options, cancellationToken))
            {
                yield return e;
            }
        }

        public Task<ResourceList<T>> ListAsync(string? namespaceName = null, ListOptions? options = null, CancellationToken cancellationToken = default) => inner.ListAsync(namespaceName, options, cancellationToken);

        public Task<T> GetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default) => inner.GetAsync(namespaceName, name, cancellationToken);

        public Task<T?> TryGetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default) => inner.TryGetAsync(namespaceName, name, cancellationToken);

        public Task<T> CreateAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default) => inner.CreateAsync(item, options, cancellationToken);

        public Task<T> ReplaceAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default) => inner.ReplaceAsync(item, options, cancellationToken);

        public Task<T> ReplaceStatusAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default) => inner.ReplaceStatusAsync(item, options, cancellationToken);

        public Task<T> PatchAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => inner.PatchAsync(namespaceName, name, patch, options, cancellationToken);

        public Task<T> PatchStatusAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => inner.PatchStatusAsync(namespaceName, name, patch, options, cancellationToken);

        public Task<T> ApplyAsync(T item, ApplyOptions options, CancellationToken cancellationToken = default) => inner.ApplyAsync(item, options, cancellationToken);

        public Task<T> ApplyStatusAsync(T item, ApplyOptions options, CancellationToken cancellationToken = default) => inner.ApplyStatusAsync(item, options, cancellationToken);

        public Task<T?> DeleteAsync(string? namespaceName, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(namespaceName, name, options, cancellationToken);

        private static TaskCompletionSource CompletedGate()
        {
            var tcs = new TaskCompletionSource();
            tcs.SetResult();
            return tcs;
        }
    }

    /// <summary>Lists one widget; watches never deliver anything (a silent stream).</summary>
    private sealed class FakeResourceClient(string listVersion) : IKubernetesResourceClient<Widget>
    {
        private int _listCalls;
        private int _watchCalls;

        public int ListFailures { get; set; }

        public int ListCalls => Volatile.Read(ref _listCalls);

        public int WatchCalls => Volatile.Read(ref _watchCalls);

        public string? LastWatchVersion { get; private set; }

        public KubernetesResourceType ResourceType => Widgets.Type;

        public Task<ResourceList<Widget>> ListAsync(string? namespaceName = null, ListOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _listCalls) <= ListFailures)
            {
                throw new HttpRequestException("connection refused");
            }

            var widget = new Widget { Metadata = new V1ObjectMeta { Name = "one", NamespaceProperty = "default", ResourceVersion = listVersion } };
            return Task.FromResult(new ResourceList<Widget> { Metadata = new V1ListMeta { ResourceVersion = listVersion }, Items = [widget] });
        }

        public async IAsyncEnumerable<WatchEvent<Widget>> WatchAsync(string? namespaceName = null, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            LastWatchVersion = options?.ResourceVersion;
            Interlocked.Increment(ref _watchCalls);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }

        public Task<Widget> GetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Widget?> TryGetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Widget> CreateAsync(Widget item, WriteOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Widget> ReplaceAsync(Widget item, WriteOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Widget> ReplaceStatusAsync(Widget item, WriteOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Widget> PatchAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Widget> PatchStatusAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Widget> ApplyAsync(Widget item, ApplyOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Widget> ApplyStatusAsync(Widget item, ApplyOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Widget?> DeleteAsync(string? namespaceName, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
