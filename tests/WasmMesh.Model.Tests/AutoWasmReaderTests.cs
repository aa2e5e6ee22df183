using System.Text.Json;
using WasmMesh.Model.Validation;
using Xunit;

namespace WasmMesh.Model.Tests;

public sealed class AutoWasmReaderTests
{
    private const string Reference = """
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata:
          name: test
          namespace: default
        spec:
          filter:
            applyPorts:
              - 9080
            rootID: test
            source:
              registry:
                image: ccr.ccs.tencentyun.com/xxx/wasm-add-header:v0.3
            vmID: test
          secret: test # registry pull secret
          selector:
            matchLabels:
              app: details
        """;

    [Fact]
    public void Read_Reference_ProducesTheTypedResource()
    {
        var resource = AutoWasmReader.ReadSingle(Reference, "aw.yaml");
        var expected = new AutoWasm
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "test", NamespaceProperty = "default" },
            Spec = new AutoWasmSpec
            {
                Filter = new WasmFilterSpec
                {
                    ApplyPorts = new[] { 9080 },
                    RootId = "test",
                    VmId = "test",
                    Source = new WasmSourceSpec { Registry = new RegistrySourceSpec { Image = "ccr.ccs.tencentyun.com/xxx/wasm-add-header:v0.3" } },
                },
                Secret = "test",
                Selector = new WorkloadSelector { MatchLabels = LabelMap.Of(("app", "details")) },
            },
        };
        Assert.Equal(expected, resource);
    }

    [Fact]
    public void Read_ObjectSourceAndOptionalFields_AreRead()
    {
        const string yaml = """
            apiVersion: wasm.tcm.io/v1alpha1
            kind: AutoWasm
            metadata: {name: obj}
            spec:
              filter:
                context: GATEWAY
                failOpen: true
                configuration: {header: x, n: 2}
                source:
                  object: {url: "https://bucket.example.com/f.wasm", sha256: "750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f"}
            """;
        var resource = AutoWasmReader.ReadSingle(yaml);
        Assert.Equal(TrafficContext.Gateway, resource.Spec.Filter.Context);
        Assert.True(resource.Spec.Filter.FailOpen);
        Assert.Equal("https://bucket.example.com/f.wasm", resource.Spec.Filter.Source.Object!.Url);
        Assert.Equal(2, resource.Spec.Filter.Configuration!.Value.GetProperty("n").GetInt32());
        Assert.Equal("default", resource.NamespaceOrDefault);
        Assert.True(resource.Spec.Filter.ApplyPorts.IsEmpty);
    }

    [Fact]
    public void Read_JsonInput_IsAccepted()
    {
        const string json = """{"apiVersion":"wasm.tcm.io/v1alpha1","kind":"AutoWasm","metadata":{"name":"j"},"spec":{"filter":{"applyPorts":[80],"source":{"registry":{"image":"r.example.com/a:v1"}}}}}""";
        var resource = AutoWasmReader.ReadSingle(json);
        Assert.Equal(80, resource.Spec.Filter.ApplyPorts[0]);
    }

    [Fact]
    public void Read_MultipleDocuments_ReturnsAllInOrder()
    {
        var text = Reference + "\n---\n" + Reference.Replace("name: test", "name: second", StringComparison.Ordinal) + "\n---\n";
        var result = AutoWasmReader.Read(text);
        Assert.True(result.IsValid);
        Assert.Equal(["test", "second"], result.Resources.Select(r => r.Metadata.Name));
    }

    [Fact]
    public void Read_StatusFromCluster_IsReadAndNotValidatedAsInput()
    {
        var text = Reference + """

            status:
              phase: Synced
              observedGeneration: 3
              sha256: 750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f
              lastSyncTime: "2021-10-27T10:00:36Z"
              conditions:
              - type: Ready
                status: "True"
            """;
        var resource = AutoWasmReader.ReadSingle(text);
        Assert.Equal(AutoWasmPhase.Synced, resource.Status!.Phase);
        Assert.Equal(3, resource.Status.ObservedGeneration);
        Assert.Equal("Ready", resource.Status.Conditions[0].Type);
    }

    [Fact]
    public void ReadSingle_Invalid_ThrowsWithEveryProblem()
    {
        var text = Reference.Replace("- 9080", "- 70000", StringComparison.Ordinal).Replace("name: test", "name: Bad_Name", StringComparison.Ordinal);
        var e = Assert.Throws<AutoWasmValidationException>(() => AutoWasmReader.ReadSingle(text, "aw.yaml"));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("aw.yaml:4:9: metadata.name:", e.Message, StringComparison.Ordinal);
        Assert.Contains("aw.yaml:9:9: spec.filter.applyPorts[0]: 70000 is not a port (1-65535)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Resource_RoundTripsThroughJson()
    {
        var resource = AutoWasmReader.ReadSingle(Reference);
        var json = JsonSerializer.Serialize(resource, ModelJsonContext.Default.AutoWasm);
        Assert.DoesNotContain("ownerReferences", json, StringComparison.Ordinal);
        Assert.Contains("\"rootID\":\"test\"", json, StringComparison.Ordinal);
        Assert.Equal(resource, JsonSerializer.Deserialize(json, ModelJsonContext.Default.AutoWasm));
    }
}
