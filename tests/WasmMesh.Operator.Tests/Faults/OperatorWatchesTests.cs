using System.Text.Json;
using k8s;
using k8s.Models;
using WasmMesh.Controllers;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Operator.Outputs;
using WasmMesh.Operator.Watches;
using Xunit;

namespace WasmMesh.Operator.Tests.Faults;

public sealed class OperatorWatchesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OwnedOutput Filter(string spec, params V1OwnerReference[] owners) => Decode($$"""{"apiVersion":"networking.istio.io/v1alpha3","kind":"EnvoyFilter","spec":{{spec}}}""") with
    {
        Metadata = new V1ObjectMeta { Name = "ef", NamespaceProperty = "team", OwnerReferences = owners.Length == 0 ? null : owners },
    };

    private static OwnedOutput Decode(string json) => JsonSerializer.Deserialize(json, WatchJsonContext.Default.OwnedOutput)!;

    private static readonly V1OwnerReference Controller = new() { ApiVersion = AutoWasm.ApiVersionValue, Kind = AutoWasm.KindValue, Name = "auth", Uid = "u1", Controller = true };

    private static InformerEvent<OwnedOutput> Event(InformerEventType type, OwnedOutput current, OwnedOutput? old = null)
        => new() { Type = type, Namespace = "team", Name = "ef", Object = current, OldObject = old };

    private static OwnedOutput AtVersion(OwnedOutput output, string resourceVersion)
        => output with { Metadata = new V1ObjectMeta { Name = output.Metadata.Name, NamespaceProperty = output.Metadata.NamespaceProperty, OwnerReferences = output.Metadata.OwnerReferences, ResourceVersion = resourceVersion } };

    [Fact]
    public void Owner_EchoOfTheControllersOwnCreate_QueuesNothing_AndAnyLaterChangeQueuesTheOwner()
    {
        var writes = new OwnWrites();
        var written = AtVersion(Filter("""{"a":1}""", Controller), "7");
        writes.Record("EnvoyFilter", "team", "ef", "7");

        Assert.Empty(OperatorWatches.Owner(Event(InformerEventType.Added, written), writes));
        Assert.Equal(0, writes.Pending);

        // The same version seen again (a relist) is no longer ours to skip, nor is an edit by someone else.
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(InformerEventType.Added, written), writes));
        var edited = AtVersion(Filter("""{"a":2}""", Controller), "8");
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(InformerEventType.Updated, edited, written), writes));
    }

    [Fact]
    public void Owner_ChangeBeforeTheEchoOrDeletion_QueuesTheOwner()
    {
        var writes = new OwnWrites();
        writes.Record("EnvoyFilter", "team", "ef", "7");

        // Someone else's write came first (another version): the owner is reconciled, and the expectation is gone.
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(InformerEventType.Updated, AtVersion(Filter("""{"a":2}""", Controller), "9"), AtVersion(Filter("""{"a":1}""", Controller), "6")), writes));
        Assert.Equal(0, writes.Pending);

        // A deletion always reconciles, even of the version written last.
        writes.Record("EnvoyFilter", "team", "ef", "10");
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(InformerEventType.Deleted, AtVersion(Filter("""{"a":1}""", Controller), "10")), writes));
        Assert.Equal(0, writes.Pending);
    }

    [Theory]
    [InlineData(InformerEventType.Deleted)]
    [InlineData(InformerEventType.Added)]
    public void Owner_DeletedOrAddedOutput_QueuesTheControllingAutoWasm(InformerEventType type)
    {
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(type, Filter("""{"a":1}""", Controller))));
    }

    [Fact]
    public void Owner_SpecEdited_QueuesTheOwner_ButAnUnchangedUpdateOrResyncQueuesNothing()
    {
        var before = Filter("""{"a":1}""", Controller);
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(InformerEventType.Updated, Filter("""{"a":2}""", Controller), before)));
        Assert.Empty(OperatorWatches.Owner(Event(InformerEventType.Updated, Filter("""{"a":1}""", Controller), before)));
        Assert.Empty(OperatorWatches.Owner(Event(InformerEventType.Resync, before)));
    }

    [Fact]
    public void Owner_NestedSpecEdit_IsAChange_AndTheSameTextIsNot()
    {
        const string Spec = """{"configPatches":[{"applyTo":"HTTP_FILTER","patch":{"value":{"name":"auth","config":{"vm_config":{"code":{"remote":{"sha256":"aa"}}}}}}}],"priority":-10}""";
        var before = Filter(Spec, Controller);
        Assert.Empty(OperatorWatches.Owner(Event(InformerEventType.Updated, Filter(Spec, Controller), before)));
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(InformerEventType.Updated, Filter(Spec.Replace("\"aa\"", "\"ab\"", StringComparison.Ordinal), Controller), before)));
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(InformerEventType.Updated, Filter(Spec.Replace("-10", "-11", StringComparison.Ordinal), Controller), before)));
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(InformerEventType.Updated, Filter("""{"configPatches":[]}""", Controller), before)));
    }

    [Theory]
    [InlineData("""{"a":1}""", """{"a":"1"}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[[1],2]}""")]
    [InlineData("""{"a":{}}""", """{"a":[]}""")]
    [InlineData("""{"a":null}""", """{"a":{}}""")]
    [InlineData("""{"ab":1}""", """{"a":1,"b":1}""")]
    [InlineData("""{}""", "null")]
    public void SpecFingerprint_DiffersForDifferentValues(string one, string other)
    {
        Assert.NotEqual(Decode($$"""{"spec":{{one}}}""").SpecFingerprint, Decode($$"""{"spec":{{other}}}""").SpecFingerprint);
        Assert.Equal(Decode($$"""{"spec":{{one}}}""").SpecFingerprint, Decode("""{"kind":"EnvoyFilter","spec":""" + one + ""","status":{"x":1}}""").SpecFingerprint);
    }

    [Fact]
    public void SpecFingerprint_IsZeroOnlyWithoutASpec_AndTheSpecIsNotKept()
    {
        Assert.Equal(UInt128.Zero, Decode("""{"kind":"EnvoyFilter"}""").SpecFingerprint);
        Assert.NotEqual(UInt128.Zero, Decode("""{"spec":{}}""").SpecFingerprint);
        Assert.Equal(["ApiVersion", "Kind", "Metadata", "SpecFingerprint"], typeof(OwnedOutput).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Owner_InitialListAfterARestart_OfOutputsTheReconcilerFoundAsWanted_QueuesNothing()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(FaultYaml.AutoWasm("auth", FaultYaml.Tag), "auth", Ct);
        await f.ApplyAsync(FaultYaml.AutoWasm("drifted", FaultYaml.Tag), "drifted", Ct);
        await f.ReconcileAsync("auth", Ct);
        await f.ReconcileAsync("drifted", Ct);

        // A restarted controller: nothing recorded; each reconcile reads its output and finds it as wanted.
        var writes = new OwnWrites();
        await using var restarted = new AutoWasmReconciler(f.Store, f.Client, new WasmSourceRequestFactory(f.Client), f.Modules, f.Retention, Microsoft.Extensions.Options.Options.Create(f.OperatorOptions), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AutoWasmReconciler>.Instance, ownWrites: writes);
        await f.DriveAsync(restarted, new ReconcileRequest(new ObjectKey("default", "auth")), Ct);
        await f.DriveAsync(restarted, new ReconcileRequest(new ObjectKey("default", "drifted")), Ct);
        Assert.Equal(2, writes.Pending);

        // Someone edits one output after it was read; then the output watch lists both (it started after the reconciles).
        var drifted = await f.EnvoyFilters.GetAsync("default", "drifted", Ct);
        await f.EnvoyFilters.ReplaceAsync(drifted with { Spec = drifted.Spec with { Priority = 99 } }, cancellationToken: Ct);
        await using var watches = new OperatorWatches(f.Client, null, null, TimeProvider.System);
        var informer = watches.Outputs("EnvoyFilter");
        await informer.StartAsync(Ct);
        await informer.WaitForSyncAsync(Ct);
        var keys = informer.List()
            .Select(o => new InformerEvent<OwnedOutput> { Type = InformerEventType.Added, Namespace = "default", Name = o.Metadata.Name!, Object = o })
            .SelectMany(e => OperatorWatches.Owner(e, writes, "EnvoyFilter"))
            .ToList();

        Assert.Equal([new ObjectKey("default", "drifted")], keys);
        Assert.Equal(0, writes.Pending);
    }

    [Fact]
    public async Task OutputInformer_KeepsMetadataAndAFingerprint_NotTheSpec()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(FaultYaml.AutoWasm("auth", FaultYaml.Tag), "auth", Ct);
        await f.ReconcileAsync("auth", Ct);
        var written = await f.EnvoyFilters.GetAsync("default", "auth", Ct);
        Assert.NotEmpty(written.Metadata.ManagedFields!);
        await using var watches = new OperatorWatches(f.Client, null, null, TimeProvider.System);
        var informer = watches.Outputs("EnvoyFilter");
        await informer.StartAsync(Ct);
        await informer.WaitForSyncAsync(Ct);

        var cached = Assert.Single(informer.List());
        Assert.Equal("auth", cached.Metadata.Name);
        Assert.NotEqual(UInt128.Zero, cached.SpecFingerprint);
        Assert.Null(cached.Metadata.ManagedFields);
        Assert.Contains(cached.Metadata.OwnerReferences!, o => o.Kind == AutoWasm.KindValue && o.Name == "auth" && o.Controller == true);
    }

    [Fact]
    public void Owner_OwnerReferenceRemoved_QueuesNothingForAnUnownedObject_ButTheRemovalIsAChange()
    {
        var owned = Filter("""{"a":1}""", Controller);
        Assert.Empty(OperatorWatches.Owner(Event(InformerEventType.Added, Filter("""{"a":1}"""))));
        Assert.Empty(OperatorWatches.Owner(Event(InformerEventType.Added, Filter("""{"a":1}""", Controller with { Controller = false }))));
        Assert.Empty(OperatorWatches.Owner(Event(InformerEventType.Added, Filter("""{"a":1}""", Controller with { Kind = "Deployment" }))));
        Assert.Equal([new ObjectKey("team", "auth")], OperatorWatches.Owner(Event(InformerEventType.Updated, owned, Filter("""{"a":1}""", Controller with { Uid = "old" }))));
    }

    [Fact]
    public async Task Users_SecretCreated_QueuesTheAutoWasmsOfItsNamespaceThatNameIt()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        foreach (var (name, secret) in new[] { ("uses", "pull"), ("other", "another"), ("none", null) })
        {
            await f.ApplyAsync(FaultYaml.AutoWasm(name, FaultYaml.Tag, secret), name, Ct);
        }

        InformerEvent<SecretMetadata> Secret(string ns, InformerEventType type = InformerEventType.Added) => new()
        {
            Type = type,
            Namespace = ns,
            Name = "pull",
            Object = new SecretMetadata { Metadata = new V1ObjectMeta { Name = "pull", NamespaceProperty = ns, ResourceVersion = "2" } },
        };

        Assert.Equal([new ObjectKey("default", "uses")], OperatorWatches.Users(Secret("default"), f.Store));
        Assert.Equal([new ObjectKey("default", "uses")], OperatorWatches.Users(Secret("default", InformerEventType.Deleted), f.Store));
        Assert.Empty(OperatorWatches.Users(Secret("elsewhere"), f.Store));
        Assert.Empty(OperatorWatches.Users(Secret("default", InformerEventType.Resync), f.Store));
    }

    [Fact]
    public async Task SecretInformer_KeepsNoSecretData()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "pull" }, Type = "kubernetes.io/dockerconfigjson", Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = "{\"auths\":{}}"u8.ToArray() } }, "default", cancellationToken: Ct);
        await using var watches = new OperatorWatches(f.Client, null, null, TimeProvider.System);
        await watches.Secrets.StartAsync(Ct);
        await watches.Secrets.WaitForSyncAsync(Ct);

        var cached = Assert.Single(watches.Secrets.List());
        Assert.Equal("pull", cached.Metadata.Name);
        Assert.Equal(["ApiVersion", "Kind", "Metadata"], typeof(SecretMetadata).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
