using BenchmarkDotNet.Attributes;
using WasmMesh.Istio;
using WasmMesh.Istio.Rendering;
using WasmMesh.Model;

namespace WasmMesh.Benchmarks;

/// <summary>Builds and renders the reference EnvoyFilter: the work wasmer and <c>wasmc render</c> do per AutoWasm.</summary>
[MemoryDiagnoser]
public class RenderBenchmarks
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
                image: registry.example.com/team/wasm-add-header:v0.3
            vmID: test
          secret: test
          selector:
            matchLabels:
              app: details
        """;

    private readonly EnvoyFilterBuilder _builder = new();
    private readonly Digest _sha = Digest.FromSha256Hex("750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f");
    private AutoWasm _resource = null!;

    [GlobalSetup]
    public void Setup() => _resource = AutoWasmReader.ReadSingle(Reference);

    [Benchmark(Baseline = true, Description = "build + render YAML")]
    public string BuildAndRenderYaml() => EnvoyFilterRenderer.ToYaml(_builder.Build(_resource, _sha));

    [Benchmark(Description = "build + render JSON")]
    public string BuildAndRenderJson() => EnvoyFilterRenderer.ToJson(_builder.Build(_resource, _sha));

    [Benchmark(Description = "build only")]
    public object Build() => _builder.Build(_resource, _sha);

    [Benchmark(Description = "read + validate AutoWasm YAML")]
    public object ReadAutoWasm() => AutoWasmReader.ReadSingle(Reference);
}
