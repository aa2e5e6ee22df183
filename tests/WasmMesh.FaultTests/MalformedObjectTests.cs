using System.Net;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>Fault 1: one malformed AutoWasm (a field the model does not know, a wrong type) must not stop the others.</summary>
public sealed class MalformedObjectTests(FaultMesh fixture)
{
    [Fact]
    public async Task MalformedAutoWasms_FailWithFieldPathAndWarning_OthersKeepSyncing_ReadinessUnaffected()
    {
        var env = await fixture.GetAsync();
        var mesh = env.Mesh;
        const string ns = "fault-malformed";
        await mesh.CreateNamespaceAsync(ns);
        var before = WasmModuleBuilder.Build(seed: 101);
        var after = WasmModuleBuilder.Build(seed: 102);
        var beforeUrl = env.Stub.Publish("malformed/before.wasm", before);
        var afterUrl = env.Stub.Publish("malformed/after.wasm", after);
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "healthy", MeshEnvironment.ObjectSource(beforeUrl)));
        await mesh.WaitForSyncedAsync(ns, "healthy", Digest.ComputeSha256(before).Hex, diagnostics: env.Diagnostics);

        // `rootId` for `rootID` (a typo, or a newer CRD's field) and a port that is not a number.
        var unknownField = MeshEnvironment.AutoWasmYaml(ns, "unknown-field", MeshEnvironment.ObjectSource(beforeUrl))
            .Replace("    rootID: unknown-field\n", "    rootId: unknown-field\n", StringComparison.Ordinal);
        var wrongType = MeshEnvironment.AutoWasmYaml(ns, "wrong-type", MeshEnvironment.ObjectSource(beforeUrl))
            .Replace("      - 9080\n", "      - not-a-port\n", StringComparison.Ordinal);
        Assert.Contains("rootId", unknownField, StringComparison.Ordinal);
        Assert.Contains("not-a-port", wrongType, StringComparison.Ordinal);
        await mesh.Kubectl.ApplyAsync(unknownField);
        await mesh.Kubectl.ApplyAsync(wrongType);

        var unknown = await mesh.WaitForAutoWasmAsync(ns, "unknown-field", r => r.Status?.Phase == AutoWasmPhase.Failed, "Failed", diagnostics: env.Diagnostics);
        Assert.Contains("spec.filter.rootID", unknown.Status!.Message, StringComparison.Ordinal);
        var wrong = await mesh.WaitForAutoWasmAsync(ns, "wrong-type", r => r.Status?.Phase == AutoWasmPhase.Failed, "Failed", diagnostics: env.Diagnostics);
        Assert.Contains("spec.filter.applyPorts", wrong.Status!.Message, StringComparison.Ordinal);

        // Others keep syncing: a change to the healthy one and a new one after the bad ones.
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "healthy", MeshEnvironment.ObjectSource(afterUrl)));
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "newcomer", MeshEnvironment.ObjectSource(afterUrl)));
        await mesh.WaitForSyncedAsync(ns, "healthy", Digest.ComputeSha256(after).Hex, diagnostics: env.Diagnostics);
        await mesh.WaitForSyncedAsync(ns, "newcomer", Digest.ComputeSha256(after).Hex, diagnostics: env.Diagnostics);

        // A Warning event names each bad object.
        await Poll.UntilAsync(
            async () =>
            {
                var events = await mesh.Kubectl.RunAsync("get", "events", "-n", ns, "-o", "jsonpath={range .items[*]}{.type}/{.involvedObject.name}{\"\\n\"}{end}");
                return events.Contains("Warning/unknown-field", StringComparison.Ordinal) && events.Contains("Warning/wrong-type", StringComparison.Ordinal);
            },
            "Warning events for both malformed AutoWasms",
            diagnostics: env.Diagnostics);

        using var ready = await env.Wasmer.Http.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
