using System.Text.RegularExpressions;
using System.Xml.Linq;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Readme.Tests;

/// <summary>Every package under src/ carries what a user judges it by on NuGet: a real description, tags, its own README, an API baseline.</summary>
public sealed partial class PackageMetadataTests
{
    public static TheoryData<string> Packages()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(RepoPaths.Root, "src")).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, Path.GetFileName(dir) + ".csproj")))
            {
                data.Add(Path.GetFileName(dir));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_HasARealDescriptionTagsAndItsOwnReadme(string package)
    {
        var dir = Path.Combine(RepoPaths.Root, "src", package);
        var project = XDocument.Load(Path.Combine(dir, package + ".csproj"));
        var description = project.Descendants("Description").SingleOrDefault()?.Value;
        Assert.False(string.IsNullOrWhiteSpace(description), $"{package}: no <Description>");
        Assert.True(description!.Length >= 60, $"{package}: the description '{description}' is a placeholder, not a description");
        Assert.Contains("$(PackageTags);", project.Descendants("PackageTags").SingleOrDefault()?.Value ?? string.Empty, StringComparison.Ordinal);

        var readme = File.ReadAllText(Path.Combine(dir, "README.md"));
        Assert.StartsWith($"# {package}", readme, StringComparison.Ordinal);
        // nuget.org renders the README outside the repository: links must be absolute.
        var relative = RelativeLink().Matches(readme).Select(m => m.Value).ToArray();
        Assert.True(relative.Length == 0, $"{package}/README.md has relative links: {string.Join(", ", relative)}");
    }

    [Fact]
    public void BuildProps_EnableSymbolsValidationAndRepositoryUrl()
    {
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        string? Value(string name) => props.Descendants(name).Select(e => e.Value).FirstOrDefault();
        Assert.Equal("snupkg", Value("SymbolPackageFormat"));
        Assert.Equal("true", Value("IncludeSymbols"));
        Assert.Equal("true", Value("EnablePackageValidation"));
        Assert.StartsWith("https://", Value("RepositoryUrl"), StringComparison.Ordinal);
        Assert.Equal("$(MSBuildProjectDirectory)/README.md", props.Descendants("None").Select(e => (string?)e.Attribute("Include")).FirstOrDefault(i => i?.EndsWith("README.md", StringComparison.Ordinal) == true));
    }

    [GeneratedRegex(@"\]\((?!https?://|#|mailto:)[^)]+\)")]
    private static partial Regex RelativeLink();
}
