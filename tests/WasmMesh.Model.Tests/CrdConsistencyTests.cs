using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Xunit;

namespace WasmMesh.Model.Tests;

/// <summary>The CRD schema and the C# model describe the same fields, in both directions.</summary>
public sealed class CrdConsistencyTests
{
    [Fact]
    public void Schema_SpecAndStatus_MatchModelFieldsBothWays()
    {
        var schema = AutoWasmCrd.Schema;
        var fromSchema = new SortedSet<string>(StringComparer.Ordinal);
        CollectSchema((JsonObject)schema["properties"]!["spec"]!, "spec", fromSchema);
        CollectSchema((JsonObject)schema["properties"]!["status"]!, "status", fromSchema);

        var fromModel = new SortedSet<string>(StringComparer.Ordinal);
        CollectModel(typeof(AutoWasmSpec), "spec", fromModel);
        CollectModel(typeof(AutoWasmStatus), "status", fromModel);

        Assert.Equal(fromModel, fromSchema);
        Assert.Contains("spec.filter.applyPorts", fromModel);
        Assert.Contains("status.conditions.lastTransitionTime", fromModel);
    }

    [Fact]
    public void Crd_NamesColumnsAndRules_AreAsDocumented()
    {
        var crd = AutoWasmCrd.Manifest;
        Assert.Equal("autowasms.wasm.tcm.io", (string?)crd["metadata"]!["name"]);
        Assert.Equal("aw", (string?)crd["spec"]!["names"]!["shortNames"]![0]);
        var version = crd["spec"]!["versions"]![0]!;
        Assert.NotNull(version["subresources"]!["status"]);
        var all = version["additionalPrinterColumns"]!.AsArray();
        var columns = all.Where(c => c!["priority"] is null).Select(c => ((string)c!["name"]!).ToUpperInvariant()).ToArray();
        Assert.Equal(["SECRET", "MATCH", "SOURCE", "APPLYPORTS", "TIME", "PHASE"], columns);
        var wide = Assert.Single(all, c => c!["priority"] is not null)!;
        Assert.Equal("Output", (string?)wide["name"]);
        Assert.Equal(".status.resource.kind", (string?)wide["jsonPath"]);
        var rule = (string?)version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["filter"]!["x-kubernetes-validations"]![0]!["rule"];
        Assert.Equal("has(self.source.registry) != has(self.source.object)", rule);
    }

    private static void CollectSchema(JsonObject schema, string path, ISet<string> into)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                var childPath = $"{path}.{name}";
                into.Add(childPath);
                var node = (JsonObject)child!;
                if ((string?)node["type"] == "array" && node["items"] is JsonObject items)
                {
                    CollectSchema(items, childPath, into);
                }
                else
                {
                    CollectSchema(node, childPath, into);
                }
            }
        }
    }

    private static void CollectModel(Type type, string path, ISet<string> into)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always })
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null)
            {
                continue;
            }

            var childPath = $"{path}.{name}";
            into.Add(childPath);
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(EquatableArray<>))
            {
                t = t.GetGenericArguments()[0];
            }

            if (t.Namespace == typeof(AutoWasm).Namespace && t.IsClass && t != typeof(LabelMap))
            {
                CollectModel(t, childPath, into);
            }

            _ = t == typeof(JsonElement);
        }
    }
}
