using System.Text.Json;
using NSubstitute;
using WasmMesh.Istio.Extensions;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Operator.Outputs;
using WasmMesh.Sources;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Operator.Tests;

/// <summary>The reconciler writes the chosen output kind, switches kinds safely, and refuses modules Envoy would reject.</summary>
public sealed class OutputKindReconcilerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Yaml(string name, string? output = null, string filterExtra = "") => $"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata:
          name: {name}
          namespace: default
        spec:
        {(output is null ? string.Empty : "  output: " + output)}
          filter:
            applyPorts: [9080]
            rootID: add_header
        {filterExtra}
            source:
              registry:
                image: registry.example.com/team/wasm-add-header@sha256:{new string('b', 64)}
          selector:
            matchLabels:
              app: details
        """;

    private static IKubernetesResourceClient<IstioObjectResource> Client(ReconcilerFixture f, string plural, string kind)
        => f.Client.Resource(
            new KubernetesResourceType { Group = plural == "envoyfilters" ? "networking.istio.io" : "extensions.istio.io", Version = plural == "envoyfilters" ? "v1alpha3" : "v1alpha1", Plural = plural, Kind = kind },
            OutputJsonContext.Default.IstioObjectResource);

    [Fact]
    public async Task Reconcile_OutputWasmPlugin_WritesAnOwnedWasmPluginAndRecordsItInStatus()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(Yaml("plug", "WasmPlugin"), "plug", Ct);

        await f.ReconcileAsync("plug", Ct);

        var plugin = await Client(f, "wasmplugins", WasmPlugin.KindValue).GetAsync("default", "plug", Ct);
        var aw = await f.AutoWasms.GetAsync("default", "plug", Ct);
        Assert.Equal(aw.Metadata.Uid, Assert.Single(plugin.Metadata.OwnerReferences!).Uid);
        var spec = plugin.Spec!.Value;
        Assert.Equal($"http://wasmer.istio-system.svc.cluster.local:8081/wasm/{ReconcilerFixture.ModuleSha.Hex}", spec.GetProperty("url").GetString());
        Assert.Equal("SERVER", spec.GetProperty("match")[0].GetProperty("mode").GetString());
        Assert.Equal(AutoWasmPhase.Synced, aw.Status!.Phase);
        Assert.Equal(new OutputReference { ApiVersion = WasmPlugin.ApiVersionValue, Kind = WasmPlugin.KindValue, Name = "plug", Output = IstioOutputKind.WasmPlugin }, aw.Status.Resource);
        Assert.Null(aw.Status.EnvoyFilter);
        Assert.Null(await f.EnvoyFilters.TryGetAsync("default", "plug", Ct));
        Assert.Contains("WasmPlugin plug is written", aw.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_SwitchingOutput_WritesTheNewKindThenDeletesTheOld()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(Yaml("sw"), "sw", Ct);
        await f.ReconcileAsync("sw", Ct);
        Assert.NotNull(await f.EnvoyFilters.TryGetAsync("default", "sw", Ct));

        await f.ApplyAsync(Yaml("sw", "TrafficExtension"), "sw", Ct);
        await f.ReconcileAsync("sw", Ct);
        var aw = await f.AutoWasms.GetAsync("default", "sw", Ct);
        Assert.Equal("OutputNotWritable", Assert.Single(aw.Status!.Conditions).Reason);
        Assert.Contains("TrafficExtension needs Istio 1.30", aw.Status.Message, StringComparison.Ordinal);
        Assert.NotNull(await f.EnvoyFilters.TryGetAsync("default", "sw", Ct)); // the old one stays until a new one is written

        await f.ApplyAsync(Yaml("sw", "WasmPlugin"), "sw", Ct);
        await f.ReconcileAsync("sw", Ct);
        Assert.NotNull(await Client(f, "wasmplugins", WasmPlugin.KindValue).TryGetAsync("default", "sw", Ct));
        Assert.Null(await f.EnvoyFilters.TryGetAsync("default", "sw", Ct));
        aw = await f.AutoWasms.GetAsync("default", "sw", Ct);
        Assert.Equal(WasmPlugin.KindValue, aw.Status!.Resource!.Kind);

        await f.ApplyAsync(Yaml("sw", "EnvoyFilterECDS"), "sw", Ct);
        await f.ReconcileAsync("sw", Ct);
        var ecds = await f.EnvoyFilters.GetAsync("default", "sw", Ct);
        Assert.Equal("EXTENSION_CONFIG", ecds.Spec!.ConfigPatches[0].ApplyTo);
        Assert.Null(await Client(f, "wasmplugins", WasmPlugin.KindValue).TryGetAsync("default", "sw", Ct));
        aw = await f.AutoWasms.GetAsync("default", "sw", Ct);
        Assert.Equal(IstioOutputKind.EnvoyFilterEcds, aw.Status!.Resource!.Output);
        Assert.Equal("sw", aw.Status.EnvoyFilter);
    }

    [Fact]
    public async Task Reconcile_DefaultOutputSetting_AppliesWhenSpecOutputIsUnset()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        f.OperatorOptions.DefaultOutput = IstioOutputKind.WasmPlugin;
        await f.ApplyAsync(Yaml("dflt"), "dflt", Ct);
        await f.ReconcileAsync("dflt", Ct);
        Assert.NotNull(await Client(f, "wasmplugins", WasmPlugin.KindValue).TryGetAsync("default", "dflt", Ct));
        Assert.Null(await f.EnvoyFilters.TryGetAsync("default", "dflt", Ct));
    }

    [Fact]
    public async Task Reconcile_ModuleImportingAnUnsupportedFunction_FailsNamingItAndWritesNothing()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        using var dir = new TempDirectory();
        var path = dir.Combine("yield.wasm");
        var bytes = WasmModuleBuilder.Build(imports: [("wasi_snapshot_preview1", "sched_yield")]);
        await File.WriteAllBytesAsync(path, bytes, Ct);
        var sha = Digest.FromSha256Hex(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>()).Returns(Task.FromResult(new WasmModuleResult
        {
            Sha256 = sha,
            Size = bytes.Length,
            SourceKind = WasmSourceKind.Registry,
            Path = path,
        }));
        await f.ApplyAsync(Yaml("yield", "WasmPlugin"), "yield", Ct);

        await f.ReconcileAsync("yield", Ct);

        var aw = await f.AutoWasms.GetAsync("default", "yield", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.Equal("PreflightFailed", Assert.Single(aw.Status.Conditions).Reason);
        Assert.Contains("wasi_snapshot_preview1.sched_yield", aw.Status.Message, StringComparison.Ordinal);
        Assert.Null(await Client(f, "wasmplugins", WasmPlugin.KindValue).TryGetAsync("default", "yield", Ct));
        Assert.Null(await f.EnvoyFilters.TryGetAsync("default", "yield", Ct));
    }

    [Fact]
    public async Task Reconcile_AuthnPhaseEnvoyFilter_AddsAPhaseAnchorCondition()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(Yaml("authn", filterExtra: "    phase: AUTHN\n    priority: 5"), "authn", Ct);
        await f.ReconcileAsync("authn", Ct);

        var aw = await f.AutoWasms.GetAsync("default", "authn", Ct);
        Assert.Equal(AutoWasmPhase.Synced, aw.Status!.Phase);
        var anchor = Assert.Single(aw.Status.Conditions, c => c.Type == AutoWasmReconciler.PhaseAnchorCondition);
        Assert.Equal("Unknown", anchor.Status);
        Assert.Contains("RequestAuthentication", anchor.Message, StringComparison.Ordinal);
        var ef = await f.EnvoyFilters.GetAsync("default", "authn", Ct);
        Assert.Equal(-5, ef.Spec!.Priority);
        Assert.Equal("envoy.filters.http.jwt_authn", ef.Spec.ConfigPatches[0].Match!.Listener!.FilterChain!.Filter!.SubFilter!.Name);

        // A resync changes nothing.
        var version = aw.Metadata.ResourceVersion;
        await f.WaitForCacheAsync("authn", Ct);
        await f.ReconcileAsync("authn", Ct);
        Assert.Equal(version, (await f.AutoWasms.GetAsync("default", "authn", Ct)).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Reconcile_AutoWasmDeleted_DeletesItsWasmPlugin()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(Yaml("gone", "WasmPlugin"), "gone", Ct);
        await f.ReconcileAsync("gone", Ct);
        var plugins = Client(f, "wasmplugins", WasmPlugin.KindValue);
        Assert.NotNull(await plugins.TryGetAsync("default", "gone", Ct));

        await f.AutoWasms.DeleteAsync("default", "gone", cancellationToken: Ct);
        await f.WaitForCacheAsync("gone", Ct);
        await f.ReconcileAsync("gone", Ct);
        Assert.Null(await plugins.TryGetAsync("default", "gone", Ct));
    }
}
