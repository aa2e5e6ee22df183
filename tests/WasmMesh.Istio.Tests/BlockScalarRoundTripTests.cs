using WasmMesh.Istio.Rendering;
using WasmMesh.Model;
using WasmMesh.Model.Yaml;
using Xunit;
namespace WasmMesh.Istio.Tests;
/// <summary>Strings made of line breaks, spaces and control characters read back unchanged from the rendered YAML.</summary>
public sealed class BlockScalarRoundTripTests
{
    [Theory]
    [InlineData("\n")] [InlineData(" \n")] [InlineData("\n ")] [InlineData("a\n")] [InlineData("\r")] [InlineData("\n\n")] [InlineData("a\r\nb")] [InlineData("\u0085")] [InlineData("\u2028")] [InlineData("\t")] [InlineData("\na")] [InlineData(" ")] [InlineData("\0")]
    public void RenderedYaml_RootIdWithBreaksOrControls_ReadsBackUnchanged(string rootId)
    {
        var resource = new AutoWasm { Metadata = new k8s.Models.V1ObjectMeta { Name = "x", NamespaceProperty = "default" }, Spec = new AutoWasmSpec { Filter = new WasmFilterSpec { ApplyPorts = [1], RootId = rootId, Source = new WasmSourceSpec { Registry = new RegistrySourceSpec { Image = "registry.example.com/a/b:v1" } } }, Selector = new WorkloadSelector { MatchLabels = LabelMap.Of(("app", "a")) } } };
        var built = new EnvoyFilterBuilder().Build(resource, Digest.FromSha256Hex(new string('0', 64)));
        var yaml = EnvoyFilterRenderer.ToYaml(built);
        var node = YamlJsonReader.Read(yaml, "r.yaml").Single().Root!;
        var back = System.Text.Json.JsonSerializer.Serialize(node);
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(rootId), back);
    }
}
