using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Testing.Tests;

/// <summary>
/// The test server driven by KubernetesClient alone, unmodified: its kubeconfig, custom object CRUD, status, server-side
/// apply with a field manager, a long watch with bookmarks, Secrets, Leases, Events and owner-reference garbage collection.
/// </summary>
public sealed class OfficialClientTests : IAsyncLifetime
{
    private const string Group = "example.com";
    private const string Version = "v1";
    private const string Plural = "things";

    private const string ThingCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: things.example.com}
        spec:
          group: example.com
          names: {kind: Thing, plural: things, singular: thing}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();
    private KubernetesTestServer _server = null!;
    private k8s.Kubernetes _client = null!;

    public async ValueTask InitializeAsync()
    {
        _server = new KubernetesTestServer(new KubernetesTestServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) });
        await _server.StartAsync(_ct);
        await _server.ApplyYamlAsync(ThingCrd, _ct);
        var kubeconfig = _dir.Combine("kubeconfig");
        await _server.WriteKubeconfigAsync(kubeconfig, _ct);

        // The kubeconfig the server writes (anonymous: a context without a user) is accepted as it is.
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task CustomObjects_CreateGetReplaceListDelete()
    {
        var created = Json(await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Thing("a", 1), Group, Version, "default", Plural, cancellationToken: _ct));
        Assert.False(string.IsNullOrEmpty(created["metadata"]!["uid"]!.ToString()));
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());

        var read = Json(await _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, "a", cancellationToken: _ct));
        read["spec"]!["size"] = 2;
        var replaced = Json(await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(read, Group, Version, "default", Plural, "a", cancellationToken: _ct));
        Assert.Equal(2, replaced["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(2, replaced["metadata"]!["generation"]!.GetValue<long>());

        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(read, Group, Version, "default", Plural, "a", cancellationToken: _ct));
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);

        var list = Json(await _client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, "default", Plural, cancellationToken: _ct));
        Assert.Single(list["items"]!.AsArray());

        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, "default", Plural, "a", cancellationToken: _ct);
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, "a", cancellationToken: _ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    [Fact]
    public async Task CustomObjects_StatusSubresource_IsWrittenSeparately()
    {
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Thing("s", 1), Group, Version, "default", Plural, cancellationToken: _ct);
        var patch = new V1Patch("""{"status":{"phase":"Ready"},"spec":{"size":99}}""", V1Patch.PatchType.MergePatch);

        var patched = Json(await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, Group, Version, "default", Plural, "s", cancellationToken: _ct));

        Assert.Equal("Ready", patched["status"]!["phase"]!.ToString());
        Assert.Equal(1, patched["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(1, patched["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task CustomObjects_ServerSideApply_RecordsTheFieldManagerAndDetectsConflicts()
    {
        var apply = new V1Patch(Thing("p", 3).ToJsonString(), V1Patch.PatchType.ApplyPatch);
        var applied = Json(await _client.CustomObjects.PatchNamespacedCustomObjectAsync(apply, Group, Version, "default", Plural, "p", fieldManager: "wasmer", cancellationToken: _ct));
        Assert.Equal(3, applied["spec"]!["size"]!.GetValue<int>());
        Assert.Contains(applied["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.ToString() == "wasmer" && m["operation"]!.ToString() == "Apply");

        var other = new V1Patch(Thing("p", 4).ToJsonString(), V1Patch.PatchType.ApplyPatch);
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CustomObjects.PatchNamespacedCustomObjectAsync(other, Group, Version, "default", Plural, "p", fieldManager: "someone-else", cancellationToken: _ct));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);

        var forced = Json(await _client.CustomObjects.PatchNamespacedCustomObjectAsync(other, Group, Version, "default", Plural, "p", fieldManager: "someone-else", force: true, cancellationToken: _ct));
        Assert.Equal(4, forced["spec"]!["size"]!.GetValue<int>());
    }

    [Fact]
    public async Task CustomObjects_StrategicMergePatch_IsRefusedWith415()
    {
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Thing("m", 1), Group, Version, "default", Plural, cancellationToken: _ct);
        var patch = new V1Patch("""{"spec":{"size":2}}""", V1Patch.PatchType.StrategicMergePatch);
        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, Group, Version, "default", Plural, "m", cancellationToken: _ct));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, ex.Response.StatusCode);
    }

    [Fact]
    public async Task Watch_WithBookmarks_StaysOpenFor30SecondsAndStillDeliversChanges()
    {
        var list = Json(await _client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, "default", Plural, cancellationToken: _ct));
        var resourceVersion = list["metadata"]!["resourceVersion"]!.ToString();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        var bookmarks = 0;
        TimeSpan? addedAt = null;
        var writer = Task.Run(
            async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cts.Token);
                await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Thing("late", 1), Group, Version, "default", Plural, cancellationToken: cts.Token);
            },
            cts.Token);

#pragma warning disable CS0618 // KubernetesClient marks its own watch helpers obsolete; they are what users of the client call.
        var response = _client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
            Group, Version, "default", Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: 50, watch: true, cancellationToken: cts.Token);
        await foreach (var (type, item) in response.WatchAsync<JsonElement, object>(cancellationToken: cts.Token))
#pragma warning restore CS0618
        {
            if (type == WatchEventType.Bookmark)
            {
                bookmarks++;
                Assert.False(string.IsNullOrEmpty(item.GetProperty("metadata").GetProperty("resourceVersion").GetString()));
            }
            else if (type == WatchEventType.Added && item.GetProperty("metadata").GetProperty("name").GetString() == "late")
            {
                addedAt = clock.Elapsed;
                break;
            }
        }

        await writer;
        Assert.NotNull(addedAt);
        Assert.True(addedAt >= TimeSpan.FromSeconds(30), $"the change arrived after {addedAt}");
        Assert.True(bookmarks >= 10, $"{bookmarks} bookmarks in 30 s");
    }

    [Fact]
    public async Task Secret_StringDataIsStoredAsData()
    {
        await _client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, Type = "kubernetes.io/dockerconfigjson", StringData = new Dictionary<string, string> { [".dockerconfigjson"] = "{}" } },
            "default",
            cancellationToken: _ct);

        var secret = await _client.CoreV1.ReadNamespacedSecretAsync("creds", "default", cancellationToken: _ct);

        Assert.Equal("{}"u8.ToArray(), secret.Data[".dockerconfigjson"]);
        Assert.Null(secret.StringData);
        Assert.Equal("kubernetes.io/dockerconfigjson", secret.Type);
    }

    [Fact]
    public async Task Lease_MicroTimesRoundTripAndStaleUpdatesConflict()
    {
        var now = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234560);
        var lease = await _client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "leader" }, Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, AcquireTime = now, RenewTime = now } },
            "default",
            cancellationToken: _ct);
        Assert.Equal(now, lease.Spec.RenewTime!.Value.ToUniversalTime());

        lease.Spec.RenewTime = now.AddSeconds(2);
        var renewed = await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "leader", "default", cancellationToken: _ct);
        Assert.Equal(now.AddSeconds(2), renewed.Spec.RenewTime!.Value.ToUniversalTime());

        lease.Spec.HolderIdentity = "b";
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "leader", "default", cancellationToken: _ct));
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
    }

    [Fact]
    public async Task Event_IsCreatedAndListedByInvolvedObject()
    {
        var time = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        await _client.CoreV1.CreateNamespacedEventAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = "thing.1" },
                InvolvedObject = new V1ObjectReference { ApiVersion = "example.com/v1", Kind = "Thing", Name = "thing", NamespaceProperty = "default" },
                Reason = "Synced",
                Message = "done",
                Type = "Normal",
                Count = 1,
                FirstTimestamp = time,
                LastTimestamp = time,
                Source = new V1EventSource { Component = "wasmer" },
            },
            "default",
            cancellationToken: _ct);

        var events = await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=thing", cancellationToken: _ct);

        var e = Assert.Single(events.Items);
        Assert.Equal("Synced", e.Reason);
        Assert.Equal(time, e.LastTimestamp!.Value.ToUniversalTime());
    }

    [Fact]
    public async Task OwnerReference_DeletingTheOwner_GarbageCollectsTheDependent()
    {
        var owner = Json(await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Thing("owner", 1), Group, Version, "default", Plural, cancellationToken: _ct));
        var reference = new V1OwnerReference { ApiVersion = "example.com/v1", Kind = "Thing", Name = "owner", Uid = owner["metadata"]!["uid"]!.ToString(), Controller = true, BlockOwnerDeletion = true };
        await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "dependent", OwnerReferences = [reference] } }, "default", cancellationToken: _ct);
        await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "independent" } }, "default", cancellationToken: _ct);

        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, "default", Plural, "owner", propagationPolicy: "Background", cancellationToken: _ct);

        var secrets = await _client.CoreV1.ListNamespacedSecretAsync("default", cancellationToken: _ct);
        Assert.Equal(["independent"], secrets.Items.Select(s => s.Metadata.Name));
    }

    private static JsonObject Thing(string name, int size) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Thing",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["size"] = size },
    };

    private static JsonObject Json(object response) => response switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText())!.AsObject(),
        JsonNode node => node.AsObject(),
        _ => JsonNode.Parse(JsonSerializer.Serialize(response))!.AsObject(),
    };
}
