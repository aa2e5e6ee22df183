using System.Text.Json.Nodes;

namespace WasmMesh.Oci.Tests.Mirrors;

public sealed class MirrorConfigurationTests
{
    private static readonly Digest D = Digest.ComputeSha256("module"u8);

    private static ImageReference Ref(string text) => ImageReference.Parse(text);

    private static string[] Plan(MirrorConfiguration configuration, string reference)
        => configuration.Plan(Ref(reference)).Select(c => $"{c.Reference}{(c.CanResolve ? "" : " [no-resolve]")}{(c.CanPull ? "" : " [no-pull]")}").ToArray();

    [Fact]
    public void Plan_MostSpecificSourceWins_AndTheMatchedPrefixIsReplaced()
    {
        var configuration = MirrorConfiguration.FromRules(
        [
            new MirrorRule { Source = "registry.example.com", Mirrors = ["mirror.local/all"] },
            new MirrorRule { Source = "registry.example.com/team", Mirrors = ["mirror.local/team-a", "backup.local:5000/team-b"] },
        ]);

        Assert.Equal(
            [$"mirror.local/team-a/filter@{D} [no-resolve]", $"backup.local:5000/team-b/filter@{D} [no-resolve]", $"registry.example.com/team/filter@{D}"],
            Plan(configuration, $"registry.example.com/team/filter@{D}"));
        Assert.Equal(
            [$"mirror.local/all/other/filter@{D} [no-resolve]", $"registry.example.com/other/filter@{D}"],
            Plan(configuration, $"registry.example.com/other/filter@{D}"));
        Assert.Equal([$"registry.example.com/teamx/f@{D}", ], Plan(MirrorConfiguration.FromRules([new MirrorRule { Source = "registry.example.com/team", Mirrors = ["m.local"] }]), $"registry.example.com/teamx/f@{D}"));
    }

    [Fact]
    public void Plan_WildcardMatchesSubdomainsOnly_AndAnExactHostBeatsIt()
    {
        var configuration = MirrorConfiguration.FromRules(
        [
            new MirrorRule { Source = "*.example.com", Mirrors = ["mirror.local/wild"] },
            new MirrorRule { Source = "exact.example.com", Mirrors = ["mirror.local/exact"] },
        ]);

        Assert.Equal($"mirror.local/wild/team/f@{D}", configuration.Plan(Ref($"a.b.example.com/team/f@{D}"))[0].Reference.ToString());
        Assert.Equal($"mirror.local/exact/team/f@{D}", configuration.Plan(Ref($"exact.example.com/team/f@{D}"))[0].Reference.ToString());
        Assert.Equal([$"example.com/team/f@{D}"], Plan(configuration, $"example.com/team/f@{D}"));
        Assert.Equal([$"notexample.com/team/f@{D}"], Plan(configuration, $"notexample.com/team/f@{D}"));
    }

    [Fact]
    public void Plan_DigestRulesIgnoreTagsAndTagRulesIgnoreDigests()
    {
        var configuration = MirrorConfiguration.FromRules(
        [
            new MirrorRule { Source = "registry.example.com", Mirrors = ["digest.local"], Kind = MirrorRuleKind.Digest },
            new MirrorRule { Source = "registry.example.com", Mirrors = ["tag.local"], Kind = MirrorRuleKind.Tag },
        ]);

        Assert.Equal(["tag.local/team/f:v1", "registry.example.com/team/f:v1"], Plan(configuration, "registry.example.com/team/f:v1"));
        Assert.Equal([$"digest.local/team/f@{D} [no-resolve]", $"registry.example.com/team/f@{D}"], Plan(configuration, $"registry.example.com/team/f@{D}"));
    }

    [Fact]
    public void Plan_NeverContactSource_LeavesOnlyMirrors_AndRulesForOneSourceMergeInOrder()
    {
        var configuration = MirrorConfiguration.FromRules(
        [
            new MirrorRule { Source = "registry.example.com/team", Mirrors = ["one.local/team"] },
            new MirrorRule { Source = "registry.example.com/team", Mirrors = ["two.local/team", "one.local/team"], SourcePolicy = MirrorSourcePolicy.NeverContactSource },
        ]);

        Assert.Equal([$"one.local/team/f@{D} [no-resolve]", $"two.local/team/f@{D} [no-resolve]"], Plan(configuration, $"registry.example.com/team/f@{D}"));
        Assert.DoesNotContain(MirrorConfiguration.FromRules([new MirrorRule { Source = "r.example.com", Mirrors = ["m.local"], SourcePolicy = MirrorSourcePolicy.NeverContactSource, Kind = MirrorRuleKind.Tag }]).Plan(Ref("r.example.com/x:v1")), c => !c.IsMirror);
    }

    [Fact]
    public void FromMirrorSets_ReadsDigestAndTagSetsAndLists()
    {
        var documents = new JsonNode?[]
        {
            JsonNode.Parse("""{"apiVersion":"config.openshift.io/v1","kind":"ImageDigestMirrorSet","metadata":{"name":"a"},"spec":{"imageDigestMirrors":[{"source":"registry.example.com/team","mirrors":["mirror.local/team"],"mirrorSourcePolicy":"NeverContactSource"}]}}"""),
            JsonNode.Parse("""{"kind":"List","items":[{"kind":"ImageTagMirrorSet","spec":{"imageTagMirrors":[{"source":"*.example.com","mirrors":["tags.local"]}]}}]}"""),
        };

        var configuration = MirrorConfiguration.FromMirrorSets(documents, "mirrors.yaml");

        Assert.Equal(2, configuration.Rules.Count);
        Assert.Equal(new MirrorRule { Source = "registry.example.com/team", Mirrors = configuration.Rules[0].Mirrors, Kind = MirrorRuleKind.Digest, SourcePolicy = MirrorSourcePolicy.NeverContactSource }, configuration.Rules[0]);
        Assert.Equal(["mirror.local/team"], configuration.Rules[0].Mirrors);
        Assert.Equal(MirrorRuleKind.Tag, configuration.Rules[1].Kind);
    }

    [Theory]
    [InlineData("""{"kind":"Deployment"}""", "mirrors.yaml: document 1: kind 'Deployment' is not ImageDigestMirrorSet or ImageTagMirrorSet")]
    [InlineData("""{"kind":"ImageDigestMirrorSet","spec":{"imageDigestMirrors":[{"source":"r.example.com","mirrors":["m"],"mirrorSourcePolicy":"Sometimes"}]}}""", "mirrors.yaml: document 1 (ImageDigestMirrorSet) spec.imageDigestMirrors[0]: mirrorSourcePolicy 'Sometimes' is not AllowContactingSource or NeverContactSource")]
    [InlineData("""{"kind":"ImageDigestMirrorSet","spec":{"imageDigestMirrors":[{"source":"https://r.example.com","mirrors":["m"]}]}}""", "mirrors.yaml: source 'https://r.example.com' is not host[:port][/path] or *.domain")]
    [InlineData("""{"kind":"ImageTagMirrorSet","spec":{"imageTagMirrors":[{"source":"r.example.com","mirrors":["*.m.local"]}]}}""", "mirrors.yaml: mirror '*.m.local' of source 'r.example.com' is not host[:port][/path] (no scheme, no wildcard)")]
    public void FromMirrorSets_Malformed_SaysWhereAndWhat(string json, string expected)
    {
        var error = Assert.Throws<MirrorConfigurationException>(() => MirrorConfiguration.FromMirrorSets([JsonNode.Parse(json)], "mirrors.yaml"));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void FromHostsDirectory_HostsInFileOrderWithCapabilities_ThenServer_AndDefaultForOthers()
    {
        using var dir = new TempDirectory();
        Write(dir, "registry.example.com:5000", """
            server = "https://registry.example.com:5000"

            [host."https://pull-only.local"]
              capabilities = ["pull"]

            [host."http://full.local:8080"]
              capabilities = ["pull", "resolve"]
            """);
        Write(dir, "registry.example.com_5000_", """
            [host."https://preferred.local"]
              capabilities = ["pull", "resolve"]
            """);
        Write(dir, "_default", """
            [host."https://default-mirror.local"]
            """);

        var configuration = MirrorConfiguration.FromHostsDirectory(dir.Path);

        Assert.Equal(["preferred.local/team/f:v1", "registry.example.com:5000/team/f:v1"], Plan(configuration, "registry.example.com:5000/team/f:v1"));
        Assert.Equal(["default-mirror.local/x/f:v1", "other.example.com/x/f:v1"], Plan(configuration, "other.example.com/x/f:v1"));
    }

    [Fact]
    public void FromHostsDirectory_PullOnlyMirror_IsNeverAskedToResolve()
    {
        using var dir = new TempDirectory();
        Write(dir, "registry.example.com", """
            [host."https://pull-only.local"]
              capabilities = ["pull"]

            [host."http://full.local:8080"]
              capabilities = ["pull", "resolve"]
              skip_verify = true
            """);

        var configuration = MirrorConfiguration.FromHostsDirectory(dir.Path);

        Assert.Equal(["pull-only.local/team/f:v1 [no-resolve]", "full.local:8080/team/f:v1", "registry.example.com/team/f:v1"], Plan(configuration, "registry.example.com/team/f:v1"));
        Assert.Equal(["full.local:8080"], configuration.InsecureHosts);
    }

    [Theory]
    [InlineData("server = ", "not valid TOML")]
    [InlineData("[host.\"https://m.local\"]\ncapabilities = [\"pull\", \"fly\"]", "host.\"https://m.local\": capability 'fly' is not pull, resolve or push")]
    [InlineData("[host.\"https://m.local/ns\"]\n", "host.\"https://m.local/ns\": the path '/ns' is not supported")]
    [InlineData("[host.\"https://m.local\"]\noverride_path = true", "override_path is not supported")]
    [InlineData("server = \"ftp://m.local\"", "server: 'ftp://m.local' is not an http(s) URL")]
    public void FromHostsDirectory_Malformed_NamesTheFileAndTheProblem(string toml, string expected)
    {
        using var dir = new TempDirectory();
        Write(dir, "registry.example.com", toml);

        var error = Assert.Throws<MirrorConfigurationException>(() => MirrorConfiguration.FromHostsDirectory(dir.Path));

        Assert.StartsWith(Path.Combine(dir.Path, "registry.example.com", "hosts.toml") + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static void Write(TempDirectory dir, string host, string toml)
    {
        Directory.CreateDirectory(dir.Combine(host));
        File.WriteAllText(dir.Combine(host, "hosts.toml"), toml);
    }
}
