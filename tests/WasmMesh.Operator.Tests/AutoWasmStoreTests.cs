using k8s.Models;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Testing;
using Xunit;

namespace WasmMesh.Operator.Tests;

public sealed class AutoWasmStoreTests
{
    private static readonly Digest First = Digest.FromSha256Hex(new string('1', 64));
    private static readonly Digest Second = Digest.FromSha256Hex(new string('2', 64));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lookups_StatusesWrittenChangedAndDeleted_FollowTheDigestIndex()
    {
        await using var server = new KubernetesTestServer();
        await server.StartAsync(Ct);
        await server.ApplyYamlAsync(AutoWasmCrd.Yaml, Ct);
        using var client = new k8s.Kubernetes(server.ClientConfiguration);
        var autowasms = client.Resource(KubernetesResourceType.Of<AutoWasm>(), ModelJsonContext.Default.AutoWasm);
        foreach (var (ns, name) in new[] { ("team-a", "one"), ("team-a", "two"), ("team-b", "three"), ("team-b", "pending") })
        {
            await server.ApplyYamlAsync(Yaml(ns, name), Ct);
        }

        await SetShaAsync(autowasms, "team-a", "one", First);
        await SetShaAsync(autowasms, "team-a", "two", First);
        await SetShaAsync(autowasms, "team-b", "three", Second);

        await using var store = new AutoWasmStore(new Informer<AutoWasm>(autowasms));
        await store.Informer.StartAsync(Ct);
        await store.Informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal([First, Second], store.DigestsInUse().OrderBy(d => d.Hex, StringComparer.Ordinal));
        Assert.Equal(["team-a"], store.NamespacesReferencing(First));
        Assert.Equal(["team-b"], store.NamespacesReferencing(Second));
        Assert.Equal("team-a", store.FindBySha256(First)!.Metadata.NamespaceProperty);
        Assert.Null(store.FindBySha256(Digest.FromSha256Hex(new string('3', 64))));

        // team-b/three moves to the first module, team-a/one is deleted: the index follows the watch.
        await SetShaAsync(autowasms, "team-b", "three", First);
        await autowasms.DeleteAsync("team-a", "one", cancellationToken: Ct);
        for (var i = 0; i < 400 && (store.Get("team-a", "one") is not null || store.Get("team-b", "three")?.Status?.Sha256 != First); i++)
        {
            await Task.Delay(25, Ct);
        }

        Assert.Equal([First], store.DigestsInUse());
        Assert.Equal(["team-a", "team-b"], store.NamespacesReferencing(First).Order(StringComparer.Ordinal));
        Assert.Empty(store.NamespacesReferencing(Second));
        Assert.Null(store.FindBySha256(Second));
        Assert.Equal(["team-a/two", "team-b/three"], store.Informer.ByIndex(AutoWasmStore.BySha256, First.ToString()).Select(a => $"{a.Metadata.NamespaceProperty}/{a.Metadata.Name}").Order(StringComparer.Ordinal));
    }

    private static async Task SetShaAsync(IKubernetesResourceClient<AutoWasm> autowasms, string ns, string name, Digest sha)
    {
        var current = await autowasms.GetAsync(ns, name, Ct);
        await autowasms.ReplaceStatusAsync(current with { Status = new AutoWasmStatus { Phase = AutoWasmPhase.Synced, Sha256 = sha } }, cancellationToken: Ct);
    }

    private static string Yaml(string ns, string name)
        => $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n---\n" + Faults.FaultYaml.AutoWasm(name, Faults.FaultYaml.Tag, ns: ns);
}
