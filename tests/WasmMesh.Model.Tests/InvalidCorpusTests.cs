using WasmMesh.Model.Validation;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Model.Tests;

/// <summary>
/// Every Invalid/&lt;case&gt;.yaml is rejected, and its problems (one per line, with file:line:column and field
/// path) equal Invalid/&lt;case&gt;.errors.txt exactly.
/// </summary>
public sealed class InvalidCorpusTests
{
    private static string Root => Path.Combine(RepoPaths.Root, "tests", "WasmMesh.Model.Tests", "Invalid");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Root, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastTwentyCases() => Assert.True(Cases().Count >= 20);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_InvalidInput_ReportsEveryProblemWithLocation(string name)
    {
        var text = File.ReadAllText(Path.Combine(Root, name + ".yaml"));
        var result = AutoWasmReader.Read(text, name + ".yaml");
        Assert.False(result.IsValid);
        Assert.Empty(result.Resources);
        Assert.NotEmpty(result.Problems);
        Assert.All(result.Problems, p => Assert.NotNull(p.Location));
        var actual = string.Join("\n", result.Problems.Select(p => p.ToString())) + "\n";
        GoldenFile.AssertMatches(Path.Combine(Root, name + ".errors.txt"), actual);
    }

    [Fact]
    public void Read_TabBeforeSource_PointsAtTheTabWithAFix()
    {
        var text = File.ReadAllText(Path.Combine(Root, "tab-indentation.yaml"));
        var problem = Assert.Single(AutoWasmReader.Read(text, "aw.yaml").Problems);
        Assert.Equal(new SourceLocation("aw.yaml", 11, 1), problem.Location);
        Assert.Contains("TAB", problem.Message, StringComparison.Ordinal);
        Assert.Contains("spaces", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PortOutOfRange_UsesTheDocumentedMessage()
    {
        var text = File.ReadAllText(Path.Combine(Root, "port-out-of-range.yaml"));
        var problems = AutoWasmReader.Read(text, "aw.yaml").Problems;
        Assert.Contains(problems, p => p.Path == "spec.filter.applyPorts[1]" && p.Message == "70000 is not a port (1-65535)");
        Assert.Contains(problems, p => p.Path == "spec.filter.applyPorts[2]" && p.Message == "0 is not a port (1-65535)");
    }
}
