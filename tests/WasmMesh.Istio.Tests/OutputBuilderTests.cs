using System.Text.Json;
using System.Text.RegularExpressions;
using WasmMesh.Istio.Extensions;
using WasmMesh.Istio.Rendering;
using WasmMesh.Model;
using Xunit;

namespace WasmMesh.Istio.Tests;

/// <summary>Outputs the builder refuses, the per-release field table, Envoy's rules for the Wasm configuration, and --explain.</summary>
public sealed class OutputBuilderTests
{
    private static readonly Digest Sha = Digest.FromSha256Hex("750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f");

    private static AutoWasm Read(string filter, string extra = "") => AutoWasmReader.ReadSingle($$$"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata: {name: f, namespace: ns, uid: 11111111-2222-3333-4444-555555555555}
        spec:
          filter:
            source: {registry: {image: r.example.com/f:v1}}
        {{{filter}}}
        {{{extra}}}
        """, "aw.yaml");

    private static IstioOutputBuilder Builder(string istio = "1.25", int? retries = null)
        => new(new EnvoyFilterBuilderOptions { IstioVersion = istio, FetchRetries = retries });

    [Fact]
    public void Build_AuthnOnSidecarOutbound_EnvoyFilterIsRefusedWasmPluginIsNot()
    {
        var resource = Read("    context: SIDECAR_OUTBOUND\n    phase: AUTHN");
        var e = Assert.Throws<IstioOutputException>(() => Builder().Build(resource, Sha, IstioOutputKind.EnvoyFilter));
        Assert.Contains("envoy.filters.http.jwt_authn", e.Message, StringComparison.Ordinal);
        Assert.Contains("SIDECAR_OUTBOUND", e.Message, StringComparison.Ordinal);
        Assert.Throws<IstioOutputException>(() => Builder().Build(resource, Sha, IstioOutputKind.EnvoyFilterEcds));
        var plugin = Assert.IsType<WasmPlugin>(Builder().Build(resource, Sha, IstioOutputKind.WasmPlugin).Resource);
        Assert.Equal("AUTHN", plugin.Spec.Phase);
    }

    [Fact]
    public void Build_TrafficExtensionBeforeIstio130_IsRefusedNamingTheRelease()
    {
        var e = Assert.Throws<IstioOutputException>(() => Builder("1.29").Build(Read(string.Empty), Sha, IstioOutputKind.TrafficExtension));
        Assert.Contains("TrafficExtension needs Istio 1.30", e.Message, StringComparison.Ordinal);
        Assert.IsType<TrafficExtension>(Builder("1.30").Build(Read(string.Empty), Sha, IstioOutputKind.TrafficExtension).Resource);
    }

    [Theory]
    [InlineData("1.26", "    failurePolicy: FailReload", "spec.failStrategy: FAIL_RELOAD exists only from Istio 1.27")]
    [InlineData("1.18", "    failOpen: true", "spec.failStrategy: WasmPlugin has this field only from Istio 1.19")]
    [InlineData("1.15", "    applyPorts: [9080]", "spec.match: WasmPlugin has this field only from Istio 1.16")]
    [InlineData("1.11", "", "WasmPlugin needs Istio 1.12")]
    public void Build_WasmPluginFieldTheReleaseLacks_IsRefused(string istio, string filter, string expected)
    {
        var e = Assert.Throws<IstioOutputException>(() => Builder(istio).Build(Read(filter), Sha, IstioOutputKind.WasmPlugin));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PriorityOnIstio110_IsRefused_WithoutPriorityItIsWritten()
    {
        var e = Assert.Throws<IstioOutputException>(() => Builder("1.10").Build(Read("    priority: 3"), Sha, IstioOutputKind.EnvoyFilter));
        Assert.Contains("spec.priority: EnvoyFilter has this field only from Istio 1.11", e.Message, StringComparison.Ordinal);
        Assert.Empty(Builder("1.10").Build(Read(string.Empty), Sha, IstioOutputKind.EnvoyFilter).Notes);
    }

    [Fact]
    public void Build_WasmPluginWithStringConfigurationOrVmId_IsRefused()
    {
        var e = Assert.Throws<IstioOutputException>(() => Builder().Build(Read("    vmID: v\n    configuration: text"), Sha, IstioOutputKind.WasmPlugin));
        Assert.Equal(2, e.Problems.Count);
    }

    [Fact]
    public void Build_NeverWritesAnImagePullSecret_EvenWithASecret()
    {
        var output = Builder().Build(Read(string.Empty, "  secret: regcred"), Sha, IstioOutputKind.WasmPlugin);
        Assert.DoesNotContain("imagePullSecret", IstioRenderer.ToYaml(output.Resource), StringComparison.Ordinal);
        Assert.DoesNotContain("regcred", IstioRenderer.ToYaml(output.Resource), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AUTHN", "RequestAuthentication")]
    [InlineData("AUTHZ", "AuthorizationPolicy")]
    public void Build_ConditionalAnchor_IsNoted(string phase, string policy)
    {
        var output = Builder().Build(Read($"    phase: {phase}"), Sha, IstioOutputKind.EnvoyFilter);
        Assert.Contains(policy, Assert.Single(output.Notes), StringComparison.Ordinal);
        Assert.Empty(Builder().Build(Read($"    phase: {phase}"), Sha, IstioOutputKind.WasmPlugin).Notes);
        Assert.Empty(Builder().Build(Read("    phase: STATS"), Sha, IstioOutputKind.EnvoyFilter).Notes);
    }

    [Theory]
    [InlineData(10, -10)]
    [InlineData(-3, 3)]
    [InlineData(2147483647, -2147483647)]
    public void Build_HigherPriorityRunsFirst_LowerEnvoyFilterPriority(int priority, int expected)
    {
        var filter = Assert.IsType<EnvoyFilters.EnvoyFilter>(Builder().Build(Read($"    priority: {priority}"), Sha, IstioOutputKind.EnvoyFilter).Resource);
        Assert.Equal(expected, filter.Spec.Priority);
    }

    [Theory]
    [InlineData("1.25.0", true)]
    [InlineData("1.25", true)]
    [InlineData("1.29.1-distroless", true)]
    [InlineData("1.30-dev", true)]
    [InlineData("1.100.2", true)]
    [InlineData("2.0.0", true)]
    [InlineData("1.24.3", false)]
    [InlineData("1.9.0", false)]
    [InlineData("1.2.0", false)]
    [InlineData("1.19-dev", false)]
    public void ProxyVersionRegexes_SplitAt125_EveryVersionMatchesExactlyOne(string version, bool knowsFailurePolicy)
    {
        Assert.Equal(knowsFailurePolicy, Regex.IsMatch(version, EnvoyFilterBuilder.FailurePolicyProxyVersions));
        Assert.Equal(!knowsFailurePolicy, Regex.IsMatch(version, EnvoyFilterBuilder.FailOpenOnlyProxyVersions));
    }

    [Fact]
    public void FieldTable_ReleaseFacts()
    {
        Assert.Null(Check("EnvoyFilter", """{"priority": 1}""", "1.11"));
        Assert.NotNull(Check("EnvoyFilter", """{"priority": 1}""", "1.10"));
        Assert.NotNull(Check("EnvoyFilter", """{"configPatches": [{"applyTo": "LISTENER_FILTER"}]}""", "1.19"));
        Assert.Null(Check("EnvoyFilter", """{"configPatches": [{"applyTo": "LISTENER_FILTER"}]}""", "1.20"));
        Assert.NotNull(Check("EnvoyFilter", """{"configPatches": [{"match": {"context": "WAYPOINT"}}]}""", "1.29"));
        Assert.Null(Check("EnvoyFilter", """{"configPatches": [{"patch": {"value": {"anything": {"goes": 1}}}}]}""", "1.10"));
        Assert.NotNull(Check("EnvoyFilter", """{"configPatchez": []}""", "1.30"));
        Assert.NotNull(Check("WasmPlugin", """{"targetRefs": []}""", "1.21"));
        Assert.Null(Check("WasmPlugin", """{"targetRefs": []}""", "1.22"));
        Assert.NotNull(Check("WasmPlugin", """{"vmConfig": {}}""", "1.13"));
        Assert.NotNull(Check("WasmPlugin", """{"type": "HTTP"}""", "1.19"));
        Assert.NotNull(Check("WasmPlugin", """{"phase": "AUTHX"}""", "1.30"));
        Assert.Null(Check("WasmPlugin", """{"url": "http://x", "sha256": "00", "imagePullPolicy": "IfNotPresent", "pluginConfig": {"a": [1]}, "pluginName": "p", "phase": "STATS", "priority": 1, "selector": {"matchLabels": {"a": "b"}}}""", "1.12"));
        Assert.NotNull(Check("TrafficExtension", """{"wasm": {"url": "http://x"}}""", "1.29"));
        Assert.Null(Check("TrafficExtension", """{"wasm": {"url": "http://x", "failStrategy": "FAIL_RELOAD"}, "match": [{"mode": "CLIENT", "ports": [{"number": 1}]}]}""", "1.30"));
        Assert.NotNull(Check("TrafficExtension", """{"wasm": {"url": "http://x", "imagePullSecret": "s", "bogus": 1}}""", "1.30"));
    }

    private static string? Check(string kind, string spec, string release)
    {
        using var document = JsonDocument.Parse(spec);
        var problems = IstioFieldTable.Check(kind, document.RootElement, IstioRelease.Parse(release));
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    public static TheoryData<string, string> EnvoyOutputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "EnvoyFilter", "EnvoyFilterEcds" })
        {
            foreach (var filter in new[] { string.Empty, "    failOpen: true", "    failurePolicy: FailReload\n    phase: STATS", "    applyPorts: [80, 81]\n    configuration: {a: 1}" })
            {
                data.Add(kind, filter);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnvoyOutputs))]
    public void EnvoyWasmConfig_FollowsEnvoyFieldRules(string kind, string filter)
    {
        foreach (var retries in new int?[] { null, 4 })
        {
            var output = Builder(retries: retries).Build(Read(filter), Sha, Enum.Parse<IstioOutputKind>(kind));
            using var document = IstioRenderer.ToJsonDocument(output.Resource);
            var configs = 0;
            foreach (var patch in document.RootElement.GetProperty("spec").GetProperty("configPatches").EnumerateArray())
            {
                var value = patch.GetProperty("patch").GetProperty("value");
                Assert.False(string.IsNullOrEmpty(value.GetProperty("name").GetString()));
                if (value.TryGetProperty("configDiscovery", out var discovery))
                {
                    Assert.False(value.TryGetProperty("typedConfig", out _));
                    AssertDuration(discovery.GetProperty("configSource").GetProperty("initialFetchTimeout").GetString());
                    Assert.Contains(EnvoyFilterBuilder.WasmTypeUrl, discovery.GetProperty("typeUrls").EnumerateArray().Select(u => u.GetString()));
                    continue;
                }

                configs++;
                var config = value.GetProperty("typedConfig").GetProperty("value").GetProperty("config");
                Assert.False(config.TryGetProperty("failOpen", out _) && config.TryGetProperty("failurePolicy", out _), "failOpen and failurePolicy together are rejected by Envoy");
                var vm = config.GetProperty("vmConfig");
                Assert.Equal(EnvoyFilterBuilder.V8Runtime, vm.GetProperty("runtime").GetString());
                Assert.Single(vm.GetProperty("code").EnumerateObject());
                var remote = vm.GetProperty("code").GetProperty("remote");
                Assert.Matches("^[0-9a-f]{64}$", remote.GetProperty("sha256").GetString());
                var uri = remote.GetProperty("httpUri");
                Assert.False(string.IsNullOrEmpty(uri.GetProperty("uri").GetString()));
                Assert.StartsWith("outbound|", uri.GetProperty("cluster").GetString(), StringComparison.Ordinal);
                AssertDuration(uri.GetProperty("timeout").GetString());
                if (output.Output == IstioOutputKind.EnvoyFilterEcds)
                {
                    Assert.StartsWith("http://", uri.GetProperty("uri").GetString(), StringComparison.Ordinal);
                }

                if (remote.TryGetProperty("retryPolicy", out var retry))
                {
                    Assert.Equal(retries, retry.GetProperty("numRetries").GetInt32());
                    var backOff = retry.GetProperty("retryBackOff");
                    var baseInterval = AssertDuration(backOff.GetProperty("baseInterval").GetString());
                    Assert.True(baseInterval >= 0.001);
                    Assert.True(AssertDuration(backOff.GetProperty("maxInterval").GetString()) >= baseInterval);
                }
                else
                {
                    Assert.Null(retries);
                }
            }

            Assert.True(configs > 0);
        }
    }

    private static double AssertDuration(string? text)
    {
        Assert.NotNull(text);
        Assert.Matches(@"^[0-9]+(\.[0-9]{1,9})?s$", text);
        var seconds = double.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(seconds < 4294967296);
        return seconds;
    }

    [Fact]
    public void Explain_AuthnEnvoyFilter_ShowsTheChainTheSlotAndTheCondition()
    {
        var text = IstioFilterChain.Explain(Read("    phase: AUTHN\n    priority: 7"), IstioOutputKind.EnvoyFilter);
        var lines = text.Split('\n');
        var slot = Array.FindIndex(lines, l => l.Contains('▶', StringComparison.Ordinal));
        Assert.Contains("ext_authz", lines[slot - 1], StringComparison.Ordinal);
        Assert.Contains("jwt_authn", lines[slot + 1], StringComparison.Ordinal);
        Assert.Contains("INSERT_BEFORE envoy.filters.http.jwt_authn, priority 7", lines[slot], StringComparison.Ordinal);
        Assert.Contains("silently skips", text, StringComparison.Ordinal);
        Assert.EndsWith("envoy.filters.http.router", lines.Last(l => l.Contains(". ", StringComparison.Ordinal)).TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_UnsetPhaseOutboundWasmPlugin_LandsBeforeTheRouterWithoutJwt()
    {
        var text = IstioFilterChain.Explain(Read("    context: SIDECAR_OUTBOUND"), IstioOutputKind.WasmPlugin);
        var lines = text.Split('\n');
        var slot = Array.FindIndex(lines, l => l.Contains('▶', StringComparison.Ordinal));
        Assert.Contains("envoy.filters.http.router", lines[slot + 1], StringComparison.Ordinal);
        Assert.Contains("placed by istiod", lines[slot], StringComparison.Ordinal);
        Assert.DoesNotContain("jwt_authn", text, StringComparison.Ordinal);
        Assert.DoesNotContain("note:", text, StringComparison.Ordinal);
    }
}
