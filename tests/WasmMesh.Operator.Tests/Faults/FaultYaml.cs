namespace WasmMesh.Operator.Tests.Faults;

/// <summary>AutoWasm manifests (namespace default unless named, the reference filter shape) for the operator tests.</summary>
internal static class FaultYaml
{
    /// <summary>A registry tag source.</summary>
    public const string Tag = "registry:\n  image: registry.example.com/team/wasm-add-header:v0.3";

    /// <summary>An object source, optionally pinned.</summary>
    public static string Object(string url, string? sha256 = null)
        => $"object:\n  url: {url}" + (sha256 is null ? string.Empty : $"\n  sha256: \"{sha256}\"");

    /// <summary>An AutoWasm named <paramref name="name"/> in <paramref name="ns"/> with <paramref name="source"/> (YAML under spec.filter.source).</summary>
    public static string AutoWasm(string name, string source, string? secret = null, string ns = "default")
    {
        var indented = string.Join('\n', source.Split('\n').Select(line => "      " + line));
        return $"""
            apiVersion: wasm.tcm.io/v1alpha1
            kind: AutoWasm
            metadata:
              name: {name}
              namespace: {ns}
            spec:
            {(secret is null ? string.Empty : $"  secret: {secret}")}
              filter:
                applyPorts: [9080]
                rootID: test
                vmID: test
                source:
            {indented}
              selector:
                matchLabels:
                  app: details
            """;
    }
}
