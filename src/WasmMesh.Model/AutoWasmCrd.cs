using System.Text.Json.Nodes;
using WasmMesh.Model.Yaml;

namespace WasmMesh.Model;

/// <summary>The AutoWasm CustomResourceDefinition (apiextensions.k8s.io/v1) shipped with this package.</summary>
public static class AutoWasmCrd
{
    /// <summary>The CRD's name.</summary>
    public const string Name = "autowasms.wasm.tcm.io";

    private static readonly Lazy<string> YamlLazy = new(() => ReadResource("WasmMesh.Model.Crds.autowasms.wasm.tcm.io.yaml"));
    private static readonly Lazy<JsonObject> ManifestLazy = new(() => (JsonObject)YamlJsonReader.Read(Yaml, "autowasms.wasm.tcm.io.yaml")[0].Root!);

    /// <summary>The CRD manifest as YAML, ready for <c>kubectl apply -f</c>.</summary>
    public static string Yaml => YamlLazy.Value;

    /// <summary>The CRD manifest as a JSON tree (a fresh copy each call).</summary>
    public static JsonObject Manifest => (JsonObject)ManifestLazy.Value.DeepClone();

    /// <summary>The <c>openAPIV3Schema</c> of the v1alpha1 version (a fresh copy each call).</summary>
    public static JsonObject Schema => (JsonObject)SchemaNode.DeepClone();

    internal static JsonObject SchemaNode => (JsonObject)ManifestLazy.Value["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    private static string ReadResource(string name)
    {
        using var stream = typeof(AutoWasmCrd).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {typeof(AutoWasmCrd).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
