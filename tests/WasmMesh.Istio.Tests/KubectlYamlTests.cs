using System.Text.Json;
using WasmMesh.Istio.Rendering;
using Xunit;

namespace WasmMesh.Istio.Tests;

public sealed class KubectlYamlTests
{
    [Theory]
    [InlineData("test", "test")]
    [InlineData("600s", "600s")]
    [InlineData("outbound|8081||wasmer.istio-system.svc.cluster.local", "outbound|8081||wasmer.istio-system.svc.cluster.local")]
    [InlineData("@type", "'@type'")]
    [InlineData("9080", "\"9080\"")]
    [InlineData("1e5", "\"1e5\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("", "\"\"")]
    [InlineData("2021-10-28T08:25:24Z", "\"2021-10-28T08:25:24Z\"")]
    [InlineData("a: b", "'a: b'")]
    [InlineData("it's", "it's")]
    [InlineData("{\"a\":1}", "'{\"a\":1}'")]
    [InlineData("#x", "'#x'")]
    [InlineData("x #y", "'x #y'")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData(" lead", "' lead'")]
    public void FormatString_Value_QuotedAsKubectlPrintsIt(string text, string expected)
        => Assert.Equal(expected, KubectlYaml.FormatString(text));

    [Fact]
    public void KeyComparer_SortsLikeKubectl()
    {
        string[] keys = ["value", "typeUrl", "@type", "port10", "port9", "a_b", "aB", "ab", "Z"];
        var sorted = keys.Order(KubectlKeyComparer.Instance).ToArray();
        Assert.Equal(["@type", "Z", "a_b", "aB", "ab", "port9", "port10", "typeUrl", "value"], sorted);
    }

    [Fact]
    public void Serialize_NestedSequencesAndEmptyCollections_UsesKubectlLayout()
    {
        using var doc = JsonDocument.Parse("""{"b":[{"y":1,"x":[1,2]},"s"],"a":{},"c":[],"d":"multi\nline"}""");
        var yaml = KubectlYaml.Serialize(doc.RootElement);
        Assert.Equal("a: {}\nb:\n- x:\n  - 1\n  - 2\n  \"y\": 1\n- s\nc: []\nd: |-\n  multi\n  line\n", yaml.Replace("\"y\"", "\"y\""));
    }
}
