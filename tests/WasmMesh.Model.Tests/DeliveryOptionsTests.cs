using WasmMesh.Model.Validation;
using Xunit;

namespace WasmMesh.Model.Tests;

/// <summary>spec.output, spec.filter.phase, priority and failurePolicy are read, validated and compared.</summary>
public sealed class DeliveryOptionsTests
{
    private static string Yaml(string spec) => $"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata: {"{"}name: test{"}"}
        spec:
        {spec}
        """;

    [Fact]
    public void Read_AllDeliveryOptions_AreTyped()
    {
        var resource = AutoWasmReader.ReadSingle(Yaml("""
              output: WasmPlugin
              filter:
                phase: AUTHZ
                priority: 10
                failurePolicy: FailReload
                configuration: {header: x}
                source: {registry: {image: r.example.com/f:v1}}
            """), "aw.yaml");
        Assert.Equal(IstioOutputKind.WasmPlugin, resource.Spec.Output);
        Assert.Equal(FilterPhase.Authz, resource.Spec.Filter.Phase);
        Assert.Equal(10, resource.Spec.Filter.Priority);
        Assert.Equal(FailurePolicy.FailReload, resource.Spec.Filter.EffectiveFailurePolicy);
    }

    [Theory]
    [InlineData("EnvoyFilter", IstioOutputKind.EnvoyFilter)]
    [InlineData("EnvoyFilterECDS", IstioOutputKind.EnvoyFilterEcds)]
    [InlineData("TrafficExtension", IstioOutputKind.TrafficExtension)]
    public void Read_OutputNames_MapToKinds(string name, IstioOutputKind kind)
    {
        var resource = AutoWasmReader.ReadSingle(Yaml($"  output: {name}\n  filter: {{source: {{registry: {{image: r.example.com/f:v1}}}}}}"), "aw.yaml");
        Assert.Equal(kind, resource.Spec.Output);
    }

    [Theory]
    [InlineData(null, null, FailurePolicy.FailClosed)]
    [InlineData(true, null, FailurePolicy.FailOpen)]
    [InlineData(false, null, FailurePolicy.FailClosed)]
    [InlineData(true, FailurePolicy.FailOpen, FailurePolicy.FailOpen)]
    [InlineData(null, FailurePolicy.FailReload, FailurePolicy.FailReload)]
    public void EffectiveFailurePolicy_FailOpenIsASynonym(bool? failOpen, FailurePolicy? policy, FailurePolicy expected)
    {
        var filter = new WasmFilterSpec { Source = new WasmSourceSpec { Registry = new RegistrySourceSpec { Image = "r.example.com/f:v1" } }, FailOpen = failOpen, FailurePolicy = policy };
        Assert.Equal(expected, filter.EffectiveFailurePolicy);
    }

    [Fact]
    public void Equality_NewFields_Count()
    {
        var a = new WasmFilterSpec { Source = new WasmSourceSpec { Registry = new RegistrySourceSpec { Image = "r.example.com/f:v1" } } };
        Assert.NotEqual(a, a with { Phase = FilterPhase.Stats });
        Assert.NotEqual(a, a with { Priority = 1 });
        Assert.NotEqual(a, a with { FailurePolicy = FailurePolicy.FailOpen });
        Assert.Equal(a with { Priority = 1 }, a with { Priority = 1 });
    }

    [Fact]
    public void ValidateForOutput_EnvoyFilterKinds_AcceptStringConfigurationAndVmId()
    {
        var resource = AutoWasmReader.ReadSingle(Yaml("""
              filter:
                vmID: shared
                configuration: "plain"
                source: {registry: {image: r.example.com/f:v1}}
            """), "aw.yaml");
        Assert.Empty(AutoWasmValidator.ValidateForOutput(resource.Spec, IstioOutputKind.EnvoyFilter));
        Assert.Empty(AutoWasmValidator.ValidateForOutput(resource.Spec, IstioOutputKind.EnvoyFilterEcds));
        var problems = AutoWasmValidator.ValidateForOutput(resource.Spec, IstioOutputKind.TrafficExtension);
        Assert.Equal(["spec.filter.configuration", "spec.filter.vmID"], problems.Select(p => p.Path));
    }
}
