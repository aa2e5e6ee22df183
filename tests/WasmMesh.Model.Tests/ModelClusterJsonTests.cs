using System.Text.Json;
using Xunit;

namespace WasmMesh.Model.Tests;

public sealed class ModelClusterJsonTests
{
    private const string Json = """
        {"apiVersion":"wasm.tcm.io/v1alpha1","kind":"AutoWasm","metadata":{"name":"a","namespace":"n"},
         "spec":{"newerField":1,"filter":{"rootId":"typo","source":{"object":{"url":"https://example.com/a.wasm","mirror":"x"}}},
                 "selector":{"matchLabels":{"app":"a"}}}}
        """;

    [Fact]
    public void AutoWasm_UnknownFieldsAtAnyLevel_AreIgnoredWhenReadingTheCluster()
    {
        var resource = JsonSerializer.Deserialize(Json, ModelClusterJson.AutoWasm)!;

        Assert.Equal("https://example.com/a.wasm", resource.Spec.Filter.Source.Object!.Url);
        Assert.Null(resource.Spec.Filter.RootId);
    }

    [Fact]
    public void AutoWasm_UnknownFields_StayErrorsForTheStrictUserEdge()
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(Json, ModelJsonContext.Default.AutoWasm));

        Assert.Contains("newerField", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoWasm_WrongType_IsStillAnError()
    {
        var json = Json.Replace("\"rootId\":\"typo\"", "\"applyPorts\":[\"not-a-port\"]", StringComparison.Ordinal);

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ModelClusterJson.AutoWasm));
    }
}
