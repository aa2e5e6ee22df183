using k8s;
using k8s.Models;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using WasmMesh.Kubernetes;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Testing.Tests;

/// <summary>API semantics of the test server, over raw HTTP and through the client.</summary>
public sealed class ServerTests : IAsyncLifetime
{
    private const string GadgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          names: {kind: Gadget, plural: gadgets, singular: gadget, shortNames: [gd]}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Match, type: string, jsonPath: .spec.selector.matchLabels}
            - {name: Ports, type: string, jsonPath: .spec.ports}
            - {name: Count, type: integer, jsonPath: .spec.count}
            - {name: Phase, type: string, jsonPath: .status.phase}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;

    private static readonly KubernetesResourceType Gadgets = new() { Group = "example.com", Version = "v1", Plural = "gadgets", Kind = "Gadget" };
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private KubernetesTestServer _server = null!;
    private k8s.Kubernetes _client = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _server = new KubernetesTestServer();
        await _server.StartAsync(_ct);
        await _server.ApplyYamlAsync(GadgetCrd, _ct);
        _client = new k8s.Kubernetes(_server.ClientConfiguration);
        _http = new HttpClient { BaseAddress = _server.Url };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<JsonObject> GetJsonAsync(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await _http.SendAsync(request, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(_ct))!.AsObject();
    }

    private Task<GenericKubernetesObject> CreateGadgetAsync(string name, string json, string ns = "default") =>
        _client.Generic(Gadgets).CreateAsync(new GenericKubernetesObject
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Fields = new Dictionary<string, System.Text.Json.JsonElement> { ["spec"] = System.Text.Json.JsonDocument.Parse(json).RootElement.Clone() },
        }, cancellationToken: _ct);

    [Fact]
    public async Task Discovery_AppliedCrd_IsListedWithShortNamesAndStatusSubresource()
    {
        var groups = await GetJsonAsync("/apis");
        var resources = await GetJsonAsync("/apis/example.com/v1");
        var core = await GetJsonAsync("/api/v1");
        var version = await GetJsonAsync("/version");

        var group = groups["groups"]!.AsArray().Single(g => g!["name"]!.ToString() == "example.com")!;
        Assert.Equal("example.com/v1", group["preferredVersion"]!["groupVersion"]!.ToString());
        var gadgets = resources["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == "gadgets")!;
        Assert.Equal("gd", gadgets["shortNames"]![0]!.ToString());
        Assert.True(gadgets["namespaced"]!.GetValue<bool>());
        Assert.Contains(resources["resources"]!.AsArray(), r => r!["name"]!.ToString() == "gadgets/status");
        Assert.Contains(core["resources"]!.AsArray(), r => r!["name"]!.ToString() == "secrets");
        Assert.Contains(groups["groups"]!.AsArray(), g => g!["name"]!.ToString() == "coordination.k8s.io");
        Assert.Equal("1", version["major"]!.ToString());
    }

    [Fact]
    public async Task Create_AssignsUidTimestampGenerationAndIncreasingResourceVersions()
    {
        var a = await CreateGadgetAsync("a", "{}");
        var b = await CreateGadgetAsync("b", "{}");

        Assert.NotEqual(a.Metadata.Uid, b.Metadata.Uid);
        Assert.True(Guid.TryParse(a.Metadata.Uid, out _));
        Assert.NotNull(a.Metadata.CreationTimestamp);
        Assert.Equal(1, a.Metadata.Generation);
        Assert.True(long.Parse(b.Metadata.ResourceVersion!) > long.Parse(a.Metadata.ResourceVersion!));
        Assert.Equal(long.Parse(b.Metadata.ResourceVersion!), _server.ResourceVersion);
    }

    [Fact]
    public async Task Replace_NoChange_KeepsTheResourceVersion()
    {
        var a = await CreateGadgetAsync("same", """{"count":1}""");
        var replaced = await _client.Generic(Gadgets).ReplaceAsync(a, cancellationToken: _ct);
        Assert.Equal(a.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Create_InMissingNamespace_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => CreateGadgetAsync("x", "{}", ns: "nowhere"));
        Assert.True(ex.IsNotFound);
        Assert.Contains("namespaces \"nowhere\" not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidName_IsInvalid()
    {
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => CreateGadgetAsync("Not_Valid", "{}"));
        Assert.True(ex.IsInvalid);
        Assert.Contains("metadata.name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_PrinterColumns_RenderJsonPathCellsLikeTheApiServer()
    {
        await CreateGadgetAsync("t", """{"selector":{"matchLabels":{"z":"1","app":"details"}},"ports":[9080,8080],"count":3}""");
        await _client.Generic(Gadgets).PatchStatusAsync("default", "t", KubernetesPatch.Merge("""{"status":{"phase":"Synced"}}"""), cancellationToken: _ct);

        var table = await GetJsonAsync("/apis/example.com/v1/namespaces/default/gadgets", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        Assert.Equal("Table", table["kind"]!.ToString());
        Assert.Equal(["Name", "Match", "Ports", "Count", "Phase", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()));
        Assert.Equal("name", table["columnDefinitions"]![0]!["format"]!.ToString());
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("t", cells[0]!.ToString());
        Assert.Equal("{\"app\":\"details\",\"z\":\"1\"}", cells[1]!.ToString());
        Assert.Equal("[9080,8080]", cells[2]!.ToString());
        Assert.Equal(3, cells[3]!.GetValue<long>());
        Assert.Equal("Synced", cells[4]!.ToString());
        Assert.EndsWith("s", cells[5]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("PartialObjectMetadata", table["rows"]![0]!["object"]!["kind"]!.ToString());
    }

    [Fact]
    public async Task Table_MissingValue_IsANullCell()
    {
        await CreateGadgetAsync("empty", "{}");
        var table = await GetJsonAsync("/apis/example.com/v1/namespaces/default/gadgets/empty", "application/json;as=Table;v=v1;g=meta.k8s.io");
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Null(cells[1]);
        Assert.Null(cells[4]);
    }

    [Fact]
    public async Task Watch_TooOldResourceVersion_SendsAnExpiredErrorEvent()
    {
        var a = await CreateGadgetAsync("w", "{}");
        await _client.Generic(Gadgets).PatchAsync("default", "w", KubernetesPatch.Merge("""{"spec":{"count":2}}"""), cancellationToken: _ct);
        _server.CompactHistory();

        var body = await _http.GetStringAsync($"/apis/example.com/v1/namespaces/default/gadgets?watch=true&resourceVersion={a.Metadata.ResourceVersion}", _ct);
        var evt = JsonNode.Parse(body.Trim())!;

        Assert.Equal("ERROR", evt["type"]!.ToString());
        Assert.Equal(410, evt["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", evt["object"]!["reason"]!.ToString());

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var _ in _client.Generic(Gadgets).WatchAsync("default", new WatchOptions { ResourceVersion = a.Metadata.ResourceVersion }, _ct))
            {
            }
        });
        Assert.True(ex.IsGone);
    }

    [Fact]
    public async Task Watch_LabelSelector_ObjectsLeavingTheSelectionArriveAsDeleted()
    {
        var gadgets = _client.Generic(Gadgets);
        var start = _server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await gadgets.CreateAsync(new GenericKubernetesObject { Metadata = new V1ObjectMeta { Name = "l", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["team"] = "a" } } }, cancellationToken: _ct);
        await gadgets.PatchAsync("default", "l", KubernetesPatch.Merge("""{"metadata":{"labels":{"team":"b"}}}"""), cancellationToken: _ct);
        await gadgets.PatchAsync("default", "l", KubernetesPatch.Merge("""{"metadata":{"labels":{"team":"a"}}}"""), cancellationToken: _ct);

        var seen = new List<WatchEventType>();
        await foreach (var e in gadgets.WatchAsync("default", new WatchOptions { ResourceVersion = start, LabelSelector = "team=a", AllowWatchBookmarks = false, TimeoutSeconds = 1 }, _ct))
        {
            seen.Add(e.Type);
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Deleted, WatchEventType.Added], seen);
    }

    [Fact]
    public async Task DeleteNamespace_TerminatesRemovesContentsThenDisappears()
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "doomed" } }, cancellationToken: _ct);
        await CreateGadgetAsync("plain", "{}", "doomed");
        await _client.Generic(Gadgets).CreateAsync(new GenericKubernetesObject { Metadata = new V1ObjectMeta { Name = "held", NamespaceProperty = "doomed", Finalizers = ["example.com/hold"] } }, cancellationToken: _ct);

        await _client.CoreV1.DeleteNamespaceAsync("doomed", cancellationToken: _ct);
        var terminating = await _client.CoreV1.ReadNamespaceAsync("doomed", cancellationToken: _ct);

        Assert.Equal("Terminating", terminating.Status.Phase);
        Assert.Null(await _client.Generic(Gadgets).TryGetAsync("doomed", "plain", _ct));
        Assert.NotNull((await _client.Generic(Gadgets).GetAsync("doomed", "held", _ct)).Metadata.DeletionTimestamp);
        var blocked = await Assert.ThrowsAsync<KubernetesApiException>(() => CreateGadgetAsync("late", "{}", "doomed"));
        Assert.True(blocked.IsForbidden);

        await _client.Generic(Gadgets).PatchAsync("doomed", "held", KubernetesPatch.Merge("""{"metadata":{"finalizers":[]}}"""), cancellationToken: _ct);
        var gone = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => _client.CoreV1.ReadNamespaceAsync("doomed", cancellationToken: _ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    [Fact]
    public async Task DeleteCrd_StopsServingTheResourceAndDeletesItsObjects()
    {
        await _server.ApplyYamlAsync(GadgetCrd.Replace("gadgets", "doodads", StringComparison.Ordinal).Replace("Gadget", "Doodad", StringComparison.Ordinal).Replace("gadget", "doodad", StringComparison.Ordinal).Replace("[gd]", "[dd]", StringComparison.Ordinal), _ct);
        var doodads = _client.Generic(Gadgets with { Plural = "doodads", Kind = "Doodad" });
        await doodads.CreateAsync(new GenericKubernetesObject { Metadata = new V1ObjectMeta { Name = "d", NamespaceProperty = "default" } }, cancellationToken: _ct);

        await _client.Generic(KubernetesResourceType.CustomResourceDefinitions).DeleteAsync(null, "doodads.example.com", cancellationToken: _ct);

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => doodads.ListAsync("default", cancellationToken: _ct));
        Assert.True(ex.IsNotFound);
        var resources = await GetJsonAsync("/apis/example.com/v1");
        Assert.DoesNotContain(resources["resources"]!.AsArray(), r => r!["name"]!.ToString() == "doodads");
    }

    [Fact]
    public async Task Patch_StrategicMergeFromKubectl_IsAppliedAsMergeWithoutDirectives()
    {
        await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s", Labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } } }, "default", cancellationToken: _ct);
        var patch = new V1Patch("""{"metadata":{"labels":{"b":null,"c":"3"},"$setElementOrder/finalizers":[]},"stringData":{"k":"v"}}""", V1Patch.PatchType.StrategicMergePatch);

        var patched = await _client.CoreV1.PatchNamespacedSecretAsync(patch, "s", "default", cancellationToken: _ct);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["c"] = "3" }, patched.Metadata.Labels);
        Assert.Equal("v"u8.ToArray(), patched.Data!["k"]);
    }

    [Fact]
    public async Task BearerToken_Required_RejectsAnonymousAndAcceptsTheKubeconfigToken()
    {
        await using var server = new KubernetesTestServer(new KubernetesTestServerOptions { BearerToken = "letmein" });
        await server.StartAsync(_ct);
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        using var denied = await anonymous.GetAsync(new Uri("/api/v1/namespaces", UriKind.Relative), _ct);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);

        using var dir = new TempDirectory();
        await server.WriteKubeconfigAsync(dir.Combine("kubeconfig"), _ct);
        using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(dir.Combine("kubeconfig")));
        Assert.Contains((await client.CoreV1.ListNamespaceAsync(cancellationToken: _ct)).Items, n => n.Metadata.Name == "default");
    }

    [Fact]
    public async Task PersistencePath_Restart_KeepsObjectsCrdsAndResourceVersions()
    {
        using var dir = new TempDirectory();
        var options = new KubernetesTestServerOptions { PersistencePath = dir.Combine("state.json") };
        string uid;
        long version;
        await using (var first = new KubernetesTestServer(options))
        {
            await first.StartAsync(_ct);
            await first.ApplyYamlAsync(GadgetCrd, _ct);
            using var c = new k8s.Kubernetes(first.ClientConfiguration);
            uid = (await c.Generic(Gadgets).CreateAsync(new GenericKubernetesObject { Metadata = new V1ObjectMeta { Name = "kept", NamespaceProperty = "default" } }, cancellationToken: _ct)).Metadata.Uid!;
            version = first.ResourceVersion;
        }

        await using var second = new KubernetesTestServer(options);
        await second.StartAsync(_ct);
        using var client = new k8s.Kubernetes(second.ClientConfiguration);
        var kept = await client.Generic(Gadgets).GetAsync("default", "kept", _ct);
        Assert.Equal(uid, kept.Metadata.Uid);
        Assert.True(second.ResourceVersion >= version);
        var next = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "after" } }, "default", cancellationToken: _ct);
        Assert.True(long.Parse(next.Metadata.ResourceVersion!) > version);
    }

    [Fact]
    public async Task RunAsync_Standalone_WritesKubeconfigAndServesUntilCancelled()
    {
        using var dir = new TempDirectory();
        using var output = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var kubeconfig = dir.Combine("kc");
        var run = KubernetesTestServer.RunAsync(["--kubeconfig", kubeconfig], output, stop.Token);
        for (var i = 0; i < 400 && !File.Exists(kubeconfig); i++)
        {
            await Task.Delay(25, _ct);
        }

        using (var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)))
        {
            Assert.NotEmpty((await client.CoreV1.ListNamespaceAsync(cancellationToken: _ct)).Items);
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run);
        Assert.Contains("test/dev only", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiV3_DescribesPatchWithFieldValidationForEveryServedKind()
    {
        var index = await GetJsonAsync("/openapi/v3");
        var url = index["paths"]!["apis/example.com/v1"]!["serverRelativeURL"]!.ToString();
        var doc = await GetJsonAsync(url);

        var patch = doc["paths"]!.AsObject().Select(p => p.Value!["patch"]!).Single();
        Assert.Equal("Gadget", patch["x-kubernetes-group-version-kind"]!["kind"]!.ToString());
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.ToString() == "fieldValidation");
    }

    [Fact]
    public async Task Protobuf_KubectlStyleSecret_IsDecoded()
    {
        // k8s\0 + Unknown{typeMeta{apiVersion=v1,kind=Secret}, raw=Secret{metadata{name=pb}, type=Opaque, data{k: "v"}}}
        static byte[] Field(int number, byte[] value) => [(byte)((number << 3) | 2), (byte)value.Length, .. value];
        static byte[] Str(string s) => Encoding.UTF8.GetBytes(s);
        var secret = Field(1, Field(1, Str("pb"))).Concat(Field(2, Field(1, Str("k")).Concat(Field(2, Str("v"))).ToArray())).Concat(Field(3, Str("Opaque"))).ToArray();
        var unknown = Field(1, Field(1, Str("v1")).Concat(Field(2, Str("Secret"))).ToArray()).Concat(Field(2, secret)).ToArray();
        using var content = new ByteArrayContent([.. "k8s\0"u8.ToArray(), .. unknown]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");

        using var response = await _http.PostAsync(new Uri("/api/v1/namespaces/default/secrets", UriKind.Relative), content, _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await _client.CoreV1.ReadNamespacedSecretAsync("pb", "default", cancellationToken: _ct);
        Assert.Equal("v"u8.ToArray(), stored.Data!["k"]);
        Assert.Equal("Opaque", stored.Type);
    }
}
