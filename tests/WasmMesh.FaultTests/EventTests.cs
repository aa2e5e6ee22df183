using k8s;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>Fault 8 (events): Event names never collide, so several events for one object within a second are all stored.</summary>
public sealed class EventTests(FaultMesh fixture)
{
    private const int Cycles = 3;

    [Fact]
    public async Task RapidPhaseChanges_EveryEventIsStoredUnderItsOwnName()
    {
        var env = await fixture.GetAsync();
        var mesh = env.Mesh;
        const string ns = "fault-events";
        await mesh.CreateNamespaceAsync(ns);
        var module = WasmModuleBuilder.Build(seed: 808);
        var sha = Digest.ComputeSha256(module).Hex;
        var valid = MeshEnvironment.AutoWasmYaml(ns, "flapping", MeshEnvironment.ObjectSource(env.Stub.Publish("events/filter.wasm", module)));
        var invalid = valid.Replace("      - 9080\n", "      - 9080\n      - 9080\n", StringComparison.Ordinal);

        for (var i = 0; i < Cycles; i++)
        {
            await mesh.Kubectl.ApplyAsync(valid);
            await mesh.WaitForSyncedAsync(ns, "flapping", sha, diagnostics: env.Diagnostics);
            await mesh.Kubectl.ApplyAsync(invalid);
            await mesh.WaitForAutoWasmAsync(ns, "flapping", r => r.Status?.Phase == AutoWasmPhase.Failed && r.Status.ObservedGeneration == r.Metadata.Generation, "Failed", diagnostics: env.Diagnostics);
        }

        var events = await Poll.UntilAsync(
            async () =>
            {
                var list = await mesh.Client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: TestContext.Current.CancellationToken);
                var mine = list.Items.Where(e => e.InvolvedObject.Name == "flapping").ToList();
                return mine.Count(e => e.Reason == "InvalidSpec") >= Cycles ? mine : null;
            },
            $"{Cycles} InvalidSpec events for AutoWasm {ns}/flapping",
            diagnostics: env.Diagnostics);

        Assert.Equal(events.Count, events.Select(e => e.Metadata.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Cycles, events.Count(e => e.Reason == "InvalidSpec" && e.Type == "Warning"));
        Assert.True(events.Count(e => e.Type == "Normal") >= Cycles, string.Join("\n", events.Select(e => $"{e.Metadata.Name} {e.Type} {e.Reason}")));
        var sameSecond = events.GroupBy(e => (e.EventTime ?? e.FirstTimestamp)?.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture)).Max(g => g.Count());
        TestContext.Current.TestOutputHelper?.WriteLine($"{events.Count} events stored for one object; up to {sameSecond} within one second");
        Assert.DoesNotContain("AlreadyExists", env.Wasmer.Log, StringComparison.Ordinal);
    }
}
