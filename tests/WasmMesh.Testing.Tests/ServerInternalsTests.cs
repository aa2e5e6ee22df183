using System.Text.Json.Nodes;
using WasmMesh.Testing.Server;
using Xunit;

namespace WasmMesh.Testing.Tests;

public sealed class ServerInternalsTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "details", ["tier"] = "web" };

    [Theory]
    [InlineData("app=details", true)]
    [InlineData("app==details,tier=web", true)]
    [InlineData("app!=details", false)]
    [InlineData("app in (details, ratings)", true)]
    [InlineData("app notin (details)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (a,b),tier", false)]
    public void LabelSelector_Matches(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector)!.Matches(Labels));

    [Fact]
    public void LabelSelector_Malformed_IsBadRequest()
    {
        var ex = Assert.Throws<ApiError>(() => LabelSelector.Parse("app in details"));
        Assert.Equal(400, ex.Code);
    }

    [Fact]
    public void MergePatch_NullDeletesObjectsMergeArraysReplace()
    {
        var target = JsonNode.Parse("""{"a":{"b":1,"c":2},"list":[1,2],"keep":true}""");
        var patch = JsonNode.Parse("""{"a":{"b":null,"d":3},"list":[3]}""");
        var result = Patches.MergePatch(target, patch);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":{"c":2,"d":3},"list":[3],"keep":true}"""), result));
    }

    [Fact]
    public void JsonPatch_AddRemoveReplaceMoveCopy()
    {
        var doc = JsonNode.Parse("""{"a":[1,2],"b":{"c":"x"}}""");
        var ops = JsonNode.Parse("""
            [{"op":"add","path":"/a/1","value":9},{"op":"remove","path":"/a/0"},{"op":"replace","path":"/b/c","value":"y"},
             {"op":"copy","from":"/b/c","path":"/d"},{"op":"move","from":"/d","path":"/e~1f"},{"op":"add","path":"/a/-","value":7}]
            """)!.AsArray();
        var result = Patches.JsonPatch(doc, ops);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":[9,2,7],"b":{"c":"y"},"e/f":"y"}"""), result));
    }

    [Fact]
    public void JsonPatch_MissingPath_IsInvalid()
    {
        var ex = Assert.Throws<ApiError>(() => Patches.JsonPatch(JsonNode.Parse("{}"), JsonNode.Parse("""[{"op":"remove","path":"/nope"}]""")!.AsArray()));
        Assert.Equal(422, ex.Code);
    }

    [Theory]
    [InlineData(".spec.selector.matchLabels", """{"app":"x"}""")]
    [InlineData("{.spec.ports[0]}", "80")]
    [InlineData(".spec.ports[-1]", "443")]
    [InlineData(".metadata.labels['app.kubernetes.io/name']", "\"web\"")]
    [InlineData(".spec.missing.deeper", null)]
    public void JsonPath_SimpleExpressions(string path, string? expected)
    {
        var obj = JsonNode.Parse("""{"spec":{"selector":{"matchLabels":{"app":"x"}},"ports":[80,443]},"metadata":{"labels":{"app.kubernetes.io/name":"web"}}}""");
        var value = JsonPath.Evaluate(obj, path);
        Assert.Equal(expected, value?.ToJsonString());
    }

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(200, "3m20s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 120, "3h2m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(400 * 86400, "400d")]
    public void HumanDuration_FormatsLikeKubectl(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void YamlJson_PlainScalarsAreTypedQuotedStayStrings()
    {
        var doc = WasmMesh.Testing.Server.YamlDocuments.Parse("a: 1\nb: '1'\nc: true\nd: null\ne: 1.5\nf: text\ng: \"750e3\"\n")[0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":1,"b":"1","c":true,"d":null,"e":1.5,"f":"text","g":"750e3"}"""), doc));
    }
}
