namespace WasmMesh.Istio;

/// <summary>
/// Minimal CustomResourceDefinitions for Istio's EnvoyFilter, WasmPlugin and TrafficExtension (spec preserved as-is), for test and
/// development API servers that have no Istio installed. A real mesh uses Istio's own CRDs.
/// </summary>
public static class IstioCrds
{
    private static readonly Lazy<string> EnvoyFilterLazy = new(() => Read("WasmMesh.Istio.Crds.envoyfilters.networking.istio.io.yaml"));
    private static readonly Lazy<string> WasmPluginLazy = new(() => Read("WasmMesh.Istio.Crds.wasmplugins.extensions.istio.io.yaml"));
    private static readonly Lazy<string> TrafficExtensionLazy = new(() => Read("WasmMesh.Istio.Crds.trafficextensions.extensions.istio.io.yaml"));

    /// <summary>The EnvoyFilter CRD (networking.istio.io/v1alpha3) as YAML.</summary>
    public static string EnvoyFilterYaml => EnvoyFilterLazy.Value;

    /// <summary>The WasmPlugin CRD (extensions.istio.io/v1alpha1) as YAML.</summary>
    public static string WasmPluginYaml => WasmPluginLazy.Value;

    /// <summary>The TrafficExtension CRD (extensions.istio.io/v1alpha1, Istio 1.30+) as YAML.</summary>
    public static string TrafficExtensionYaml => TrafficExtensionLazy.Value;

    /// <summary>Every CRD above, for applying them together.</summary>
    public static IReadOnlyList<string> All => [EnvoyFilterYaml, WasmPluginYaml, TrafficExtensionYaml];

    private static string Read(string name)
    {
        using var stream = typeof(IstioCrds).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {typeof(IstioCrds).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
