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

    private static IstioObjectResource Filter(string spec, params V1OwnerReference[] owners) => new()
    {
        ApiVersion = "networking.istio.io/v1alpha3",
        Kind = "EnvoyFilter",
        Metadata = new V1ObjectMeta { Name = "ef", NamespaceProperty = "team", OwnerReferences = owners.Length == 0 ? null : owners },
        Spec = JsonDocument.Parse(spec).RootElement.Clone(),
    };

    private static readonly V1OwnerReference Controller = new() { ApiVersion = AutoWasm.ApiVersionValue, Kind = AutoWasm.KindValue, Name = "auth", Uid = "u1", Controller = true };

    private static InformerEvent<IstioObjectResource> Event(InformerEventType type, IstioObjectResource current, IstioObjectResource? old = null)
        => new() { Type = type, Namespace = "team", Name = "ef", Object = current, OldObject = old };

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
