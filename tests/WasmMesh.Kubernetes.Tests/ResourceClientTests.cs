using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace WasmMesh.Kubernetes.Tests;

public sealed class ResourceClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateGetReplaceDelete_Widget_RoundTripsWithServerMetadata()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var created = await widgets.CreateAsync(Widgets.New(ns, "w", size: 1, labels: new() { ["app"] = "x" }), new WriteOptions { FieldManager = "tests" }, _ct);

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("x", created.Metadata.Labels!["app"]);
        Assert.Contains(created.Metadata.ManagedFields!, m => m.Manager == "tests");

        var read = await widgets.GetAsync(ns, "w", _ct);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);

        var replaced = await widgets.ReplaceAsync(read with { Spec = new WidgetSpec { Size = 2 } }, cancellationToken: _ct);
        Assert.True(long.Parse(replaced.Metadata.ResourceVersion!) > long.Parse(read.Metadata.ResourceVersion!));
        Assert.Equal(2, replaced.Spec!.Size);

        Assert.NotNull(await widgets.DeleteAsync(ns, "w", cancellationToken: _ct));
        Assert.Null(await widgets.TryGetAsync(ns, "w", _ct));
    }

    [Fact]
    public async Task GetAsync_Missing_ThrowsNotFoundWithStatus()
    {
        var ns = await fixture.NewNamespaceAsync();
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => Widgets.Client(fixture.Client).GetAsync(ns, "nope", _ct));
        Assert.True(ex.IsNotFound);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("NotFound", ex.Status?.Reason);
        Assert.Contains("\"nope\" not found", ex.Message, StringComparison.Ordinal);
        Assert.Equal($"/apis/example.com/v1/namespaces/{ns}/widgets/nope", ex.Path);
    }

    [Fact]
    public async Task CreateAsync_Existing_ThrowsAlreadyExists()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "w"), cancellationToken: _ct);
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => widgets.CreateAsync(Widgets.New(ns, "w"), cancellationToken: _ct));
        Assert.True(ex.IsAlreadyExists);
        Assert.False(ex.IsConflict);
    }

    [Fact]
    public async Task ReplaceAsync_StaleResourceVersion_ThrowsConflict()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var first = await widgets.CreateAsync(Widgets.New(ns, "w", size: 1), cancellationToken: _ct);
        await widgets.ReplaceAsync(first with { Spec = new WidgetSpec { Size = 2 } }, cancellationToken: _ct);

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => widgets.ReplaceAsync(first with { Spec = new WidgetSpec { Size = 3 } }, cancellationToken: _ct));
        Assert.True(ex.IsConflict);
        Assert.Equal(2, (await widgets.GetAsync(ns, "w", _ct)).Spec!.Size);
    }

    [Fact]
    public async Task PatchAsync_StrategicMergeOnCustomResource_IsRefusedWith415()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "w", size: 1), cancellationToken: _ct);
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => widgets.PatchAsync(ns, "w", new KubernetesPatch { Type = KubernetesPatchType.StrategicMerge, Content = """{"spec":{"size":2}}""" }, cancellationToken: _ct));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, ex.StatusCode);
        Assert.Equal(1, (await widgets.GetAsync(ns, "w", _ct)).Spec!.Size);
    }

    [Fact]
    public async Task ListAndWatch_ObjectThatDoesNotDecode_IsReportedAndTheOthersStillArrive()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "good"), cancellationToken: _ct);
        var raw = fixture.Client;
        await raw.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse($$$"""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"bad","namespace":"{{{ns}}}"},"spec":{"size":"not a number"},"extra":{"ignored":true}}"""),
            "example.com", "v1", ns, "widgets", cancellationToken: _ct);

        var list = await widgets.ListAsync(ns, cancellationToken: _ct);
        Assert.Equal("good", Assert.Single(list.Items).Metadata.Name);
        var bad = Assert.Single(list.Undecodable);
        Assert.Equal($"{ns}/bad", bad.Key);
        Assert.Contains("spec.size", bad.Error, StringComparison.Ordinal);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var events = new List<WatchEvent<Widget>>();
        await foreach (var e in widgets.WatchAsync(ns, new WatchOptions { AllowWatchBookmarks = false }, cts.Token))
        {
            events.Add(e);
            if (events.Count == 2)
            {
                break;
            }
        }

        Assert.Equal("good", Assert.Single(events, e => e.Object is not null).Object!.Metadata.Name);
        var undecodable = Assert.Single(events, e => e.Object is null);
        Assert.Equal("bad", undecodable.Metadata.Name);
        Assert.NotNull(undecodable.DecodeError);
    }

    [Fact]
    public async Task ListAsync_WithLimit_PagesThroughEveryItemOnce()
    {
        var ns = await fixture.NewNamespaceAsync();
        var secrets = Widgets.Client(fixture.Client);
        for (var i = 0; i < 7; i++)
        {
            await secrets.CreateAsync(Widgets.New(ns, $"s{i}"), cancellationToken: _ct);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await secrets.ListAsync(ns, new ListOptions { Limit = 3, Continue = token }, _ct);
            names.AddRange(page.Items.Select(s => s.Metadata.Name!));
            Assert.Empty(page.Undecodable);
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"s{i}"), names);
    }

    [Fact]
    public async Task ListAsync_Selectors_FilterByLabelsAndFields()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "a", labels: new() { ["tier"] = "web", ["env"] = "prod" }), cancellationToken: _ct);
        await widgets.CreateAsync(Widgets.New(ns, "b", labels: new() { ["tier"] = "db", ["env"] = "prod" }), cancellationToken: _ct);
        await widgets.CreateAsync(Widgets.New(ns, "c", labels: new() { ["tier"] = "web" }), cancellationToken: _ct);

        async Task<string[]> Names(ListOptions o) => (await widgets.ListAsync(ns, o, _ct)).Items.Select(w => w.Metadata.Name!).Order().ToArray();
        Assert.Equal(["a", "c"], await Names(new ListOptions { LabelSelector = "tier=web" }));
        Assert.Equal(["a", "b"], await Names(new ListOptions { LabelSelector = "env" }));
        Assert.Equal(["c"], await Names(new ListOptions { LabelSelector = "!env" }));
        Assert.Equal(["b"], await Names(new ListOptions { LabelSelector = "tier in (db),env=prod" }));
        Assert.Equal(["a"], await Names(new ListOptions { LabelSelector = "tier notin (db),env==prod" }));
        Assert.Equal(["b"], await Names(new ListOptions { FieldSelector = "metadata.name=b" }));
        Assert.Equal(["a", "c"], await Names(new ListOptions { FieldSelector = "metadata.name!=b" }));
    }

    [Fact]
    public async Task WatchAsync_FromListVersion_DeliversAddedModifiedDeletedInOrder()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "before"), cancellationToken: _ct);
        var list = await widgets.ListAsync(ns, cancellationToken: _ct);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType, string, int?)>();
        var watch = Task.Run(async () =>
        {
            await foreach (var e in widgets.WatchAsync(ns, new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = false }, cts.Token))
            {
                events.Add((e.Type, e.Metadata.Name!, e.Object!.Spec?.Size));
                if (e.Type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }, _ct);

        var created = await widgets.CreateAsync(Widgets.New(ns, "w", size: 1), cancellationToken: _ct);
        await widgets.PatchAsync(ns, "w", KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["size"] = 2 } }), cancellationToken: _ct);
        await widgets.DeleteAsync(ns, "w", cancellationToken: _ct);
        await watch;

        Assert.Equal([(WatchEventType.Added, "w", 1), (WatchEventType.Modified, "w", 2), (WatchEventType.Deleted, "w", 2)], events);
        Assert.NotNull(created.Metadata.Uid);
    }

    [Fact]
    public async Task WatchAsync_WithoutResourceVersion_StartsWithSyntheticAddedEvents()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "x"), cancellationToken: _ct);
        await widgets.CreateAsync(Widgets.New(ns, "y"), cancellationToken: _ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var names = new List<string>();
        await foreach (var e in widgets.WatchAsync(ns, new WatchOptions(), cts.Token))
        {
            Assert.Equal(WatchEventType.Added, e.Type);
            names.Add(e.Metadata.Name!);
            if (names.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["x", "y"], names);
    }

    [Fact]
    public async Task WatchAsync_Bookmarks_CarryTheLatestResourceVersion()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var list = await widgets.ListAsync(ns, cancellationToken: _ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        await foreach (var e in widgets.WatchAsync(ns, new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = true }, cts.Token))
        {
            Assert.Equal(WatchEventType.Bookmark, e.Type);
            Assert.True(long.Parse(e.Metadata.ResourceVersion!) >= long.Parse(list.Metadata.ResourceVersion!));
            break;
        }
    }

    [Fact]
    public async Task WatchAsync_TimeoutSeconds_EndsTheSequence()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var list = await widgets.ListAsync(ns, cancellationToken: _ct);
        var count = 0;
        await foreach (var e in widgets.WatchAsync(ns, new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = false, TimeoutSeconds = 1 }, _ct))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task PatchAsync_JsonPatchTestFails_ThrowsInvalidAndLeavesObject()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "w", size: 3), cancellationToken: _ct);
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => widgets.PatchAsync(ns, "w", KubernetesPatch.Json(
            [new JsonObject { ["op"] = "test", ["path"] = "/spec/size", ["value"] = 4 }, new JsonObject { ["op"] = "replace", ["path"] = "/spec/size", ["value"] = 5 }]), cancellationToken: _ct));
        Assert.True(ex.IsInvalid);

        var ok = await widgets.PatchAsync(ns, "w", KubernetesPatch.Json(
            [new JsonObject { ["op"] = "test", ["path"] = "/spec/size", ["value"] = 3 }, new JsonObject { ["op"] = "replace", ["path"] = "/spec/size", ["value"] = 5 }]), cancellationToken: _ct);
        Assert.Equal(5, ok.Spec!.Size);
    }

    [Fact]
    public async Task StatusSubresource_WritesAreSeparatedFromSpecAndGeneration()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var w = await widgets.CreateAsync(Widgets.New(ns, "w", size: 1) with { Status = new WidgetStatus { Phase = "Ignored" } }, cancellationToken: _ct);
        Assert.Null(w.Status);
        Assert.Equal(1, w.Metadata.Generation);

        var withStatus = await widgets.ReplaceStatusAsync(w with { Spec = new WidgetSpec { Size = 99 }, Status = new WidgetStatus { Phase = "Ready" } }, cancellationToken: _ct);
        Assert.Equal("Ready", withStatus.Status!.Phase);
        Assert.Equal(1, withStatus.Spec!.Size);
        Assert.Equal(1, withStatus.Metadata.Generation);

        var specChanged = await widgets.ReplaceAsync(withStatus with { Spec = new WidgetSpec { Size = 2 }, Status = new WidgetStatus { Phase = "Overwritten" } }, cancellationToken: _ct);
        Assert.Equal("Ready", specChanged.Status!.Phase);
        Assert.Equal(2, specChanged.Metadata.Generation);

        var labelsOnly = await widgets.PatchAsync(ns, "w", KubernetesPatch.Merge("""{"metadata":{"labels":{"a":"b"}}}"""), cancellationToken: _ct);
        Assert.Equal(2, labelsOnly.Metadata.Generation);

        var patchedStatus = await widgets.PatchStatusAsync(ns, "w", KubernetesPatch.Merge("""{"status":{"phase":"Done"}}"""), cancellationToken: _ct);
        Assert.Equal("Done", patchedStatus.Status!.Phase);
        Assert.Equal(2, patchedStatus.Metadata.Generation);
    }

    [Fact]
    public async Task ApplyAsync_TwoManagers_ConflictUntilForcedAndDroppedFieldsAreRemoved()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var first = await widgets.ApplyAsync(Widgets.New(ns, "w", size: 1, color: "red"), new ApplyOptions { FieldManager = "alpha" }, _ct);
        Assert.Equal(1, first.Spec!.Size);

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => widgets.ApplyAsync(Widgets.New(ns, "w", size: 2, color: "red"), new ApplyOptions { FieldManager = "beta" }, _ct));
        Assert.True(ex.IsConflict);
        Assert.Contains("alpha", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Status!.Details!.Causes!, c => c.Field == ".spec.size");

        // Same value: co-ownership without conflict.
        await widgets.ApplyAsync(new Widget { Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = ns }, Spec = new WidgetSpec { Color = "red" } }, new ApplyOptions { FieldManager = "beta" }, _ct);

        var forced = await widgets.ApplyAsync(Widgets.New(ns, "w", size: 2, color: "red"), new ApplyOptions { FieldManager = "beta", Force = true }, _ct);
        Assert.Equal(2, forced.Spec!.Size);

        // alpha stops managing color, but beta still owns it: it stays. alpha owns nothing else now.
        var alphaDrops = await widgets.ApplyAsync(new Widget { Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["by"] = "alpha" } } }, new ApplyOptions { FieldManager = "alpha" }, _ct);
        Assert.Equal("red", alphaDrops.Spec!.Color);

        // beta drops size: nobody owns it any more, so it is removed.
        var betaDrops = await widgets.ApplyAsync(new Widget { Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = ns }, Spec = new WidgetSpec { Color = "red" } }, new ApplyOptions { FieldManager = "beta" }, _ct);
        Assert.Null(betaDrops.Spec!.Size);
        Assert.Equal("red", betaDrops.Spec.Color);
        Assert.Equal("alpha", betaDrops.Metadata.Labels!["by"]);
    }

    [Fact]
    public async Task DeleteAsync_PreconditionMismatch_ThrowsConflict()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        await widgets.CreateAsync(Widgets.New(ns, "w"), cancellationToken: _ct);
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => widgets.DeleteAsync(ns, "w", new DeleteOptions { PreconditionUid = "other" }, _ct));
        Assert.True(ex.IsConflict);
        Assert.NotNull(await widgets.TryGetAsync(ns, "w", _ct));
    }

    [Fact]
    public async Task DeleteAsync_WithFinalizer_MarksUntilFinalizerIsRemoved()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var w = await widgets.CreateAsync(Widgets.New(ns, "w") with { Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = ns, Finalizers = ["example.com/cleanup"] } }, cancellationToken: _ct);

        var marked = await widgets.DeleteAsync(ns, "w", cancellationToken: _ct);
        Assert.NotNull(marked);
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.NotNull((await widgets.GetAsync(ns, "w", _ct)).Metadata.DeletionTimestamp);

        await widgets.PatchAsync(ns, "w", KubernetesPatch.Merge("""{"metadata":{"finalizers":null}}"""), cancellationToken: _ct);
        Assert.Null(await widgets.TryGetAsync(ns, "w", _ct));
        Assert.NotNull(w.Metadata.Uid);
    }

    [Fact]
    public async Task DeleteAsync_Owner_GarbageCollectsDependentsUnlessOrphaned()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var core = fixture.Client.CoreV1;
        var owner = await widgets.CreateAsync(Widgets.New(ns, "owner"), cancellationToken: _ct);
        var orphanOwner = await widgets.CreateAsync(Widgets.New(ns, "orphan-owner"), cancellationToken: _ct);
        V1OwnerReference Ref(Widget w) => new() { ApiVersion = "example.com/v1", Kind = "Widget", Name = w.Metadata.Name!, Uid = w.Metadata.Uid!, Controller = true };
        await core.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "dep", OwnerReferences = [Ref(owner)] } }, ns, cancellationToken: _ct);
        await core.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "kept", OwnerReferences = [Ref(orphanOwner)] } }, ns, cancellationToken: _ct);

        await widgets.DeleteAsync(ns, "owner", new DeleteOptions { PropagationPolicy = "Background" }, _ct);
        await widgets.DeleteAsync(ns, "orphan-owner", new DeleteOptions { PropagationPolicy = "Orphan" }, _ct);

        var remaining = await core.ListNamespacedSecretAsync(ns, cancellationToken: _ct);
        var kept = Assert.Single(remaining.Items);
        Assert.Equal("kept", kept.Metadata.Name);
        Assert.Null(kept.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Resource_ObjectWithoutTypeMeta_GetsItFromTheResourceType()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(fixture.Client);
        var created = await widgets.CreateAsync(new Widget { ApiVersion = null!, Kind = null!, Metadata = new V1ObjectMeta { Name = "bare", NamespaceProperty = ns }, Spec = new WidgetSpec { Size = 7 } }, cancellationToken: _ct);
        Assert.Equal("example.com/v1", created.ApiVersion);
        Assert.Equal("Widget", created.Kind);
        var list = await widgets.ListAsync(ns, cancellationToken: _ct);
        Assert.Equal("bare", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task Resource_CoreGroup_ListsButRefusesWritesWithAPointerToTheTypedApi()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, ns, cancellationToken: _ct);
        var secrets = fixture.Client.Resource(KubernetesResourceType.Secrets, WidgetJsonContext.Default.Widget);

        Assert.Equal("s", Assert.Single((await secrets.ListAsync(ns, cancellationToken: _ct)).Items).Metadata.Name);
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => secrets.GetAsync(ns, "s", _ct));
        Assert.Contains("CoreV1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWasmMeshKubernetes_ExplicitConfiguration_ResolvesWorkingClient()
    {
        var services = new ServiceCollection();
        services.AddWasmMeshKubernetes(o => o.Configuration = fixture.Server.ClientConfiguration);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IKubernetes>();
        var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: _ct);
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
    }

    [Fact]
    public void AddWasmMeshKubernetes_HostAlreadyHasAClient_KeepsIt()
    {
        var services = new ServiceCollection();
        using var own = new k8s.Kubernetes(fixture.Server.ClientConfiguration);
        services.AddSingleton<IKubernetes>(own);
        services.AddWasmMeshKubernetes(o => o.KubeconfigPath = "/nonexistent/kubeconfig");
        services.AddWasmMeshKubernetes();
        using var provider = services.BuildServiceProvider();
        Assert.Same(own, provider.GetRequiredService<IKubernetes>());
        Assert.Single(services, d => d.ServiceType == typeof(IKubernetes));
    }

    [Fact]
    public void ResolveConfiguration_MissingKubeconfig_ThrowsTypedErrorNamingTheFile()
    {
        var options = new KubernetesClientOptions { KubeconfigPath = "/nonexistent/dir/kubeconfig" };
        var ex = Assert.Throws<KubernetesConfigurationException>(options.ResolveConfiguration);
        Assert.Contains("/nonexistent/dir/kubeconfig", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveConfiguration_TestServerKubeconfig_IsAcceptedByKubernetesClientConfiguration()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("kubeconfig");
        await fixture.Server.WriteKubeconfigAsync(path, _ct);
        var config = new KubernetesClientOptions { KubeconfigPath = path }.ResolveConfiguration();
        using var client = new k8s.Kubernetes(config);
        Assert.Equal("default", config.Namespace);
        var list = await Widgets.Client(client).ListAsync("default", cancellationToken: _ct);
        Assert.NotNull(list.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Requests_AreCountedOnTheWasmMeshKubernetesMeter()
    {
        var codes = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "WasmMesh.Kubernetes" && instrument.Name == "wasmmesh.kubernetes.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "code")
                {
                    codes.Add((int)tag.Value!);
                }
            }
        });
        listener.Start();

        await Widgets.Client(fixture.Client).ListAsync("default", cancellationToken: _ct);
        await Assert.ThrowsAsync<KubernetesApiException>(() => fixture.Client.Resource(new KubernetesResourceType { Group = "example.com", Version = "v1", Plural = "gadgets", Kind = "Gadget" }, WidgetJsonContext.Default.Widget).ListAsync("default", cancellationToken: _ct));

        Assert.Contains(200, codes);
        Assert.Contains(404, codes);
    }

    [Fact]
    public void AddWasmMeshKubernetes_InvalidOptions_FailValidation()
    {
        var services = new ServiceCollection();
        services.AddWasmMeshKubernetes(o =>
        {
            o.Configuration = fixture.Server.ClientConfiguration;
            o.RequestTimeout = TimeSpan.Zero;
        });
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KubernetesClientOptions>>().Value);
        Assert.Contains("RequestTimeout", ex.Message, StringComparison.Ordinal);
    }
}
