using System.Net;
using System.Text.Json.Nodes;
using k8s;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>
/// Fault 1: one malformed AutoWasm must not stop the others. A field the model does not know (`rootId` for `rootID`, a
/// newer CRD's field) is ignored when reading the cluster; an object that does not decode (a wrong type) gets Failed with
/// the field path in its status and a Warning Event, nothing is written for it, and every other AutoWasm keeps syncing.
/// </summary>
public sealed class MalformedObjectTests(FaultMesh fixture)
{
    [Fact]
    public async Task MalformedAutoWasms_UnknownFieldIgnored_UndecodableFailedWithFieldPathAndWarning_OthersKeepSyncing_ReadinessUnaffected()
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
        // A cluster whose CRD is older or newer than this wasmer (here: one that keeps unknown fields and checks no types)
        // stores both objects; the API server of this mesh enforces our schema, so loosen it for this test.
        await mesh.Kubectl.ApplyAsync(PermissiveCrd());
        try
        {
            await mesh.Kubectl.ApplyAsync(unknownField);
            await mesh.Kubectl.ApplyAsync(wrongType);
            await CheckAsync(env, ns, before, after, beforeUrl, afterUrl);
        }
        finally
        {
            await mesh.Kubectl.ApplyAsync(AutoWasmCrd.Yaml);
        }
    }

    private static async Task CheckAsync(FaultMesh.Running env, string ns, byte[] before, byte[] after, Uri beforeUrl, Uri afterUrl)
    {
        var mesh = env.Mesh;

        // The unknown field is ignored: the object reconciles like any other.
        await mesh.WaitForSyncedAsync(ns, "unknown-field", Digest.ComputeSha256(before).Hex, diagnostics: env.Diagnostics);

        // Others keep syncing: a change to the healthy one and a new one after the bad ones.
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "healthy", MeshEnvironment.ObjectSource(afterUrl)));
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "newcomer", MeshEnvironment.ObjectSource(afterUrl)));
        await mesh.WaitForSyncedAsync(ns, "healthy", Digest.ComputeSha256(after).Hex, diagnostics: env.Diagnostics);
        await mesh.WaitForSyncedAsync(ns, "newcomer", Digest.ComputeSha256(after).Hex, diagnostics: env.Diagnostics);

        // The undecodable object is reported on itself: Failed with the field path and a Warning Event; nothing is written for it.
        var status = await Poll.UntilAsync(
            async () =>
            {
                var text = await mesh.Kubectl.RunAsync("get", "autowasm", "wrong-type", "-n", ns, "-o", "jsonpath={.status.phase}|{.status.message}");
                return text.StartsWith("Failed|", StringComparison.Ordinal) ? text : null;
            },
            $"AutoWasm {ns}/wrong-type Failed",
            diagnostics: env.Diagnostics);
        Assert.True(status.Contains("spec.filter.applyPorts[0]: ", StringComparison.Ordinal), status);
        var warning = await Poll.UntilAsync(
            async () =>
            {
                var list = await mesh.Client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: TestContext.Current.CancellationToken);
                return list.Items.FirstOrDefault(e => e.InvolvedObject.Name == "wrong-type" && e.Type == "Warning" && e.Reason == "InvalidObject");
            },
            $"a Warning Event for AutoWasm {ns}/wrong-type",
            diagnostics: env.Diagnostics);
        Assert.True(warning.Message.Contains("spec.filter.applyPorts[0]: ", StringComparison.Ordinal), warning.Message);
        Assert.Contains($"{ns}/wrong-type", env.Wasmer.Log, StringComparison.Ordinal);
        Assert.Null(await mesh.EnvoyFilters.TryGetAsync(ns, "wrong-type", TestContext.Current.CancellationToken));

        using var ready = await env.Wasmer.Http.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    /// <summary>The AutoWasm CRD with every version's schema replaced by one that preserves unknown fields and checks no types.</summary>
    private static string PermissiveCrd()
    {
        var crd = AutoWasmCrd.Manifest;
        foreach (var version in crd["spec"]!["versions"]!.AsArray())
        {
            version!["schema"] = new JsonObject
            {
                ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
            };
        }

        return crd.ToJsonString();
    }
}
