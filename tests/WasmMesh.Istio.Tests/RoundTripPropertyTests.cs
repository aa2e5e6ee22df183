using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Istio.Rendering;
using WasmMesh.Model;
using WasmMesh.Model.Yaml;
using Xunit;

namespace WasmMesh.Istio.Tests;

/// <summary>Rendered YAML and JSON read back to an equal EnvoyFilter, whatever the strings in the spec look like.</summary>
public sealed class RoundTripPropertyTests
{
    private static readonly string[] TrickyStrings =
    [
        "test", "123", "1e5", "0x1F", "true", "yes", "no", "on", "null", "~", "", " lead", "trail ", "a: b", "#hash", "x #y",
        "@at", "'quoted'", "\"dq\"", "-", "- x", "? q", ":", "[a]", "{b}", "a,b", "*star", "&amp", "!bang", "%pct", "`tick`",
        "multi\nline", "tab\tin", "ünïcödé", "2021-10-27T10:00:36Z", "1:20", ".inf", "---", "...", "a'b", "back\\slash", "12_000",
    ];

    private static Gen<string> Tricky => Gen.OneOf(Gen.Elements(TrickyStrings), ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get));

    private static Gen<AutoWasm> AutoWasms =>
        from name in Gen.Elements("test", "a", "filter-1", "x.y")
        from ns in Gen.Elements("default", "team-a", "istio-system")
        from ports in Gen.Choose(1, 65535).ArrayOf().Select(a => a.Distinct().Take(5).ToArray())
        from rootId in Tricky
        from vmId in Tricky
        from config in Tricky
        from useConfig in ArbMap.Default.GeneratorFor<bool>()
        from failOpen in Gen.Elements<bool?>(null, true, false)
        from context in Gen.Elements<TrafficContext?>(null, TrafficContext.SidecarInbound, TrafficContext.SidecarOutbound, TrafficContext.Gateway)
        from label in Gen.Elements("details", "123", "true", "v1.2")
        from uid in Gen.Elements<string?>(null, "6b1c2c9e-9a4e-4d2b-8f3a-1f2e3d4c5b6a")
        select new AutoWasm
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = uid },
            Spec = new AutoWasmSpec
            {
                Filter = new WasmFilterSpec
                {
                    ApplyPorts = ports,
                    RootId = rootId,
                    VmId = vmId,
                    FailOpen = failOpen,
                    Context = context,
                    Configuration = useConfig ? JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["k"] = config }) : null,
                    Source = new WasmSourceSpec { Registry = new RegistrySourceSpec { Image = "registry.example.com/a/b:v1" } },
                },
                Selector = new WorkloadSelector { MatchLabels = LabelMap.Of(("app", label)) },
            },
        };

    [Fact]
    public void RenderedYaml_ReadBack_EqualsBuiltObject()
    {
        var builder = new EnvoyFilterBuilder();
        var digests = Gen.Elements(
            "750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f",
            "1234567890123456789012345678901234567890123456789012345678901e23",
            "0000000000000000000000000000000000000000000000000000000000000000");
        Prop.ForAll(Arb.From(AutoWasms), Arb.From(digests), (resource, sha) =>
        {
            var built = builder.Build(resource, Digest.FromSha256Hex(sha));
            var yaml = EnvoyFilterRenderer.ToYaml(built);
            var node = YamlJsonReader.Read(yaml, "rendered.yaml").Single().Root!;
            var readBack = node.Deserialize(IstioJsonContext.Default.EnvoyFilter);
            return SameObject(built, readBack);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void RenderedJson_ReadBack_EqualsBuiltObject()
    {
        var builder = new EnvoyFilterBuilder();
        Prop.ForAll(Arb.From(AutoWasms), resource =>
        {
            var built = builder.Build(resource, Digest.FromSha256Hex("750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f"));
            return SameObject(built, EnvoyFilterRenderer.FromJson(EnvoyFilterRenderer.ToJson(built)));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Build_SameInputs_GiveEqualObjects()
    {
        var resource = AutoWasmReader.ReadSingle(File.ReadAllText(Path.Combine(TestSupport.RepoPaths.Root, "tests", "WasmMesh.Istio.Tests", "Cases", "several-ports", "input.yaml")));
        var sha = Digest.FromSha256Hex("750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f");
        var a = new EnvoyFilterBuilder().Build(resource, sha);
        var b = new EnvoyFilterBuilder().Build(resource, sha);
        Assert.Equal(a, b);
        Assert.Equal(3, a.Spec.ConfigPatches.Count);
        Assert.NotEqual(a, new EnvoyFilterBuilder().Build(resource, Digest.FromSha256Hex(new string('0', 64))));
    }

    /// <summary>Equal type, spec (records with value equality) and metadata (compared field by field through its JSON).</summary>
    private static bool SameObject(EnvoyFilter expected, EnvoyFilter? actual) =>
        actual is not null
        && expected.ApiVersion == actual.ApiVersion
        && expected.Kind == actual.Kind
        && expected.Spec.Equals(actual.Spec)
        && System.Text.Json.JsonSerializer.Serialize(expected.Metadata, IstioJsonContext.Default.V1ObjectMeta)
            == System.Text.Json.JsonSerializer.Serialize(actual.Metadata, IstioJsonContext.Default.V1ObjectMeta);
}
