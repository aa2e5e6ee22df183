using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Testing.Tests;

/// <summary>
/// CRD structural schemas enforced by the test server, driven by KubernetesClient: type, enum, required and bound violations are
/// refused with 422 naming the field path; unknown fields are pruned (with a warning), refused under fieldValidation=Strict, and
/// kept where the schema preserves them.
/// </summary>
public sealed class SchemaTests : IAsyncLifetime
{
    private const string Group = "example.com";
    private const string Version = "v1";
    private const string Plural = "widgets";

    private const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets, singular: widget}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                required: [spec]
                properties:
                  spec:
                    type: object
                    required: [size]
                    properties:
                      size: {type: integer, minimum: 1, maximum: 10}
                      phase: {type: string, enum: [Alpha, Beta]}
                      name: {type: string, maxLength: 5, pattern: "^[a-z]+$"}
                      tags: {type: array, maxItems: 2, items: {type: string}}
                      labels: {type: object, additionalProperties: {type: string}}
                      extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                      port: {x-kubernetes-int-or-string: true}
                      mode: {type: string, default: Fast}
                      when: {type: string, format: date-time}
                  status:
                    type: object
                    properties:
                      ready: {type: boolean}
        """;

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();
    private KubernetesTestServer _server = null!;
    private k8s.Kubernetes _client = null!;

    public async ValueTask InitializeAsync()
    {
        _server = new KubernetesTestServer();
        await _server.StartAsync(_ct);
        await _server.ApplyYamlAsync(WidgetCrd, _ct);
        var kubeconfig = _dir.Combine("kubeconfig");
        await _server.WriteKubeconfigAsync(kubeconfig, _ct);
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Create_StringForInteger_Is422WithTheFieldPath()
    {
        var status = await RefusedAsync(HttpStatusCode.UnprocessableEntity, () => CreateAsync(Widget("w1", new JsonObject { ["size"] = "big" })));

        Assert.Equal("Invalid", status["reason"]!.ToString());
        Assert.Equal("Widget.example.com \"w1\" is invalid: spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"", status["message"]!.ToString());
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal("spec.size", cause["field"]!.ToString());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.ToString());
        Assert.Equal("Widget", status["details"]!["kind"]!.ToString());
        Assert.Equal("example.com", status["details"]!["group"]!.ToString());
    }

    [Fact]
    public async Task Create_SeveralViolations_NamesEveryFieldInOneStatus()
    {
        var spec = new JsonObject
        {
            ["size"] = 11,
            ["phase"] = "Gamma",
            ["name"] = "TooLong",
            ["tags"] = new JsonObject { ["a"] = "b" },
            ["labels"] = new JsonObject { ["app"] = 1 },
            ["port"] = true,
            ["when"] = "yesterday",
        };

        var status = await RefusedAsync(HttpStatusCode.UnprocessableEntity, () => CreateAsync(Widget("w2", spec)));

        var causes = status["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}: {c["message"]}").ToList();
        Assert.Contains("spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10", causes);
        Assert.Contains("spec.phase: Unsupported value: \"Gamma\": supported values: \"Alpha\", \"Beta\"", causes);
        Assert.Contains("spec.name: Too long: may not be more than 5 bytes", causes);
        Assert.Contains("spec.name: Invalid value: \"TooLong\": spec.name in body should match '^[a-z]+$'", causes);
        Assert.Contains("spec.tags: Invalid value: \"object\": spec.tags in body must be of type array: \"object\"", causes);
        Assert.Contains("spec.labels.app: Invalid value: \"integer\": spec.labels.app in body must be of type string: \"integer\"", causes);
        Assert.Contains("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer-or-string: \"boolean\"", causes);
        Assert.Contains("spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: \"yesterday\"", causes);
        Assert.Equal(8, causes.Count);
        Assert.StartsWith("Widget.example.com \"w2\" is invalid: [", status["message"]!.ToString(), StringComparison.Ordinal);
        await RefusedAsync(HttpStatusCode.NotFound, () => _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, "w2", cancellationToken: _ct));
    }

    [Fact]
    public async Task Create_MissingRequiredFields_AreRequiredValues()
    {
        var noSize = await RefusedAsync(HttpStatusCode.UnprocessableEntity, () => CreateAsync(Widget("w3", new JsonObject { ["phase"] = "Alpha" })));
        var noSpec = Widget("w4", new JsonObject());
        noSpec.Remove("spec");
        var noSpecStatus = await RefusedAsync(HttpStatusCode.UnprocessableEntity, () => CreateAsync(noSpec));

        Assert.Equal("Widget.example.com \"w3\" is invalid: spec.size: Required value", noSize["message"]!.ToString());
        Assert.Equal("FieldValueRequired", noSize["details"]!["causes"]![0]!["reason"]!.ToString());
        Assert.Equal("Widget.example.com \"w4\" is invalid: spec: Required value", noSpecStatus["message"]!.ToString());
    }

    [Fact]
    public async Task Create_UnknownFields_ArePrunedWithAWarningAndPreservedWhereTheSchemaSaysSo()
    {
        var body = Widget("w5", new JsonObject
        {
            ["size"] = 2,
            ["color"] = "red",
            ["labels"] = new JsonObject { ["app"] = "x" },
            ["extra"] = new JsonObject { ["anything"] = new JsonObject { ["goes"] = true } },
            ["port"] = "http",
        });
        body["junk"] = 1;

        using var response = await _client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(body, Group, Version, "default", Plural, cancellationToken: _ct);
        var stored = Json(await _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, "w5", cancellationToken: _ct));

        Assert.Null(stored["junk"]);
        Assert.False(stored["spec"]!.AsObject().ContainsKey("color"));
        Assert.Equal("x", stored["spec"]!["labels"]!["app"]!.ToString());
        Assert.True(stored["spec"]!["extra"]!["anything"]!["goes"]!.GetValue<bool>());
        Assert.Equal("http", stored["spec"]!["port"]!.ToString());
        Assert.Equal("Fast", stored["spec"]!["mode"]!.ToString());
        Assert.Equal("w5", stored["metadata"]!["name"]!.ToString());
        var warnings = response.Response.Headers.GetValues("Warning").ToList();
        Assert.Contains("299 - \"unknown field \\\"spec.color\\\"\"", warnings);
        Assert.Contains("299 - \"unknown field \\\"junk\\\"\"", warnings);
    }

    [Fact]
    public async Task Create_UnknownFieldUnderStrictFieldValidation_Is400AndNothingIsStored()
    {
        var body = Widget("w6", new JsonObject { ["size"] = 2, ["color"] = "red" });

        var status = await RefusedAsync(HttpStatusCode.BadRequest, () => _client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, "default", Plural, fieldValidation: "Strict", cancellationToken: _ct));

        Assert.Equal("Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.color\"", status["message"]!.ToString());
        await RefusedAsync(HttpStatusCode.NotFound, () => _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, "w6", cancellationToken: _ct));
    }

    [Fact]
    public async Task ReplaceAndPatch_TypeErrors_AreRefusedAndTheObjectIsUnchanged()
    {
        await CreateAsync(Widget("w7", new JsonObject { ["size"] = 2 }));
        var current = Json(await _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, "w7", cancellationToken: _ct));
        current["spec"]!["size"] = "three";

        var replace = await RefusedAsync(HttpStatusCode.UnprocessableEntity, () => _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(current, Group, Version, "default", Plural, "w7", cancellationToken: _ct));
        var merge = await RefusedAsync(HttpStatusCode.UnprocessableEntity, () => PatchAsync("w7", """{"spec":{"phase":"Omega"}}""", V1Patch.PatchType.MergePatch));
        var json = await RefusedAsync(HttpStatusCode.UnprocessableEntity, () => PatchAsync("w7", """[{"op":"replace","path":"/spec/size","value":0}]""", V1Patch.PatchType.JsonPatch));
        var apply = await RefusedAsync(HttpStatusCode.UnprocessableEntity, () => PatchAsync("w7", """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w7"},"spec":{"phase":"Zeta"}}""", V1Patch.PatchType.ApplyPatch, "wasmer"));
        var stored = Json(await _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, "w7", cancellationToken: _ct));

        Assert.Equal("spec.size", replace["details"]!["causes"]![0]!["field"]!.ToString());
        Assert.Equal("Widget.example.com \"w7\" is invalid: spec.phase: Unsupported value: \"Omega\": supported values: \"Alpha\", \"Beta\"", merge["message"]!.ToString());
        Assert.Equal("Widget.example.com \"w7\" is invalid: spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1", json["message"]!.ToString());
        Assert.Equal("spec.phase", apply["details"]!["causes"]![0]!["field"]!.ToString());
        Assert.Equal(2, stored["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(1, stored["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task ServerSideApply_UnknownField_IsPrunedAndNotOwned()
    {
        var applied = Json(await PatchAsync("w8", """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w8"},"spec":{"size":4,"color":"red"}}""", V1Patch.PatchType.ApplyPatch, "wasmer"));

        Assert.Equal(4, applied["spec"]!["size"]!.GetValue<int>());
        Assert.False(applied["spec"]!.AsObject().ContainsKey("color"));
        var owned = applied["metadata"]!["managedFields"]!.AsArray().Single(m => m!["manager"]!.ToString() == "wasmer")!["fieldsV1"]!.ToJsonString();
        Assert.Contains("f:size", owned, StringComparison.Ordinal);
        Assert.DoesNotContain("f:color", owned, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusSubresource_IsValidatedAgainstTheStatusSchema()
    {
        await CreateAsync(Widget("w9", new JsonObject { ["size"] = 2 }));

        var bad = await RefusedAsync(
            HttpStatusCode.UnprocessableEntity,
            () => _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"ready":"yes"}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, "w9", cancellationToken: _ct));
        var good = Json(await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"ready":true,"unknown":1}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, "w9", cancellationToken: _ct));

        Assert.Equal("Widget.example.com \"w9\" is invalid: status.ready: Invalid value: \"string\": status.ready in body must be of type boolean: \"string\"", bad["message"]!.ToString());
        Assert.True(good["status"]!["ready"]!.GetValue<bool>());
        Assert.False(good["status"]!.AsObject().ContainsKey("unknown"));
    }

    private Task<object> CreateAsync(JsonObject body) =>
        _client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, "default", Plural, cancellationToken: _ct);

    private Task<object> PatchAsync(string name, string body, V1Patch.PatchType type, string? manager = null) =>
        _client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(body, type), Group, Version, "default", Plural, name, fieldManager: manager, cancellationToken: _ct);

    private static async Task<JsonObject> RefusedAsync(HttpStatusCode expected, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(expected, ex.Response.StatusCode);
        var status = JsonNode.Parse(ex.Response.Content)!.AsObject();
        Assert.Equal("Status", status["kind"]!.ToString());
        Assert.Equal((int)expected, status["code"]!.GetValue<int>());
        return status;
    }

    private static JsonObject Widget(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = spec,
    };

    private static JsonObject Json(object response) => response switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText())!.AsObject(),
        JsonNode node => node.AsObject(),
        _ => JsonNode.Parse(JsonSerializer.Serialize(response))!.AsObject(),
    };
}
