using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Readme.Tests;

/// <summary>
/// Every C# block of README.md compiles as a console program (the SDK's implicit usings, nullable on, warnings as
/// errors) against the WasmMesh packages, and runs from the repository root; its output is checked.
/// </summary>
[Collection(ReadmeExamples.Name)]
public sealed partial class ReadmeCodeTests
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    public static TheoryData<int> Blocks()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < ReadBlocks().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void Readme_HasCSharpBlocks()
    {
        Assert.NotEmpty(ReadBlocks());
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void CSharpBlock_CompilesWithoutWarnings_AndRuns(int index)
    {
        var block = ReadBlocks()[index];
        var (assembly, diagnostics) = Compile(block.Code);
        Assert.True(diagnostics.Length == 0, $"README.md line {block.Line}: the C# block does not compile cleanly:\n{string.Join('\n', diagnostics)}");

        var output = Run(assembly);
        if (!block.Code.Contains("EnvoyFilterRenderer", StringComparison.Ordinal))
        {
            return; // a wiring example: it compiled and ran without throwing
        }

        Assert.Contains("kind: EnvoyFilter", output, StringComparison.Ordinal);
        Assert.Contains("sha256: 750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_BrokenCode_ReportsTheError()
    {
        var (_, diagnostics) = Compile("var x = UndefinedThing();");
        Assert.Contains(diagnostics, d => d.Contains("CS0103", StringComparison.Ordinal));
    }

    internal sealed record Block(int Line, string Code);

    internal static IReadOnlyList<Block> ReadBlocks()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var blocks = new List<Block>();
        foreach (Match match in CSharpFence().Matches(text))
        {
            var line = text.AsSpan(0, match.Index).Count('\n') + 1;
            blocks.Add(new Block(line, match.Groups["code"].Value));
        }

        return blocks;
    }

    private static (byte[] Assembly, string[] Diagnostics) Compile(string code)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var globalUsings = string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n"));
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(globalUsings, parse, "GlobalUsings.g.cs", Encoding.UTF8),
            CSharpSyntaxTree.ParseText(code, parse, "README.md", Encoding.UTF8),
        };
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "ReadmeExample",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error)
                .WithSpecificDiagnosticOptions(ImmutableDictionary<string, ReportDiagnostic>.Empty.Add("CS8019", ReportDiagnostic.Suppress)));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        var diagnostics = result.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToArray();
        return (stream.ToArray(), diagnostics);
    }

    private static string Run(byte[] image)
    {
        var context = new AssemblyLoadContext("readme-example", isCollectible: true);
        var previousOut = Console.Out;
        var previousDirectory = Environment.CurrentDirectory;
        var output = new StringWriter();
        try
        {
            var entry = context.LoadFromStream(new MemoryStream(image)).EntryPoint!;
            Console.SetOut(output);
            Environment.CurrentDirectory = RepoPaths.Root;
            var parameters = entry.GetParameters().Length == 0 ? null : new object[] { Array.Empty<string>() };
            var returned = entry.Invoke(null, parameters);
            if (returned is Task task)
            {
                task.GetAwaiter().GetResult();
            }
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            Assert.Fail($"the README example threw {e.InnerException}");
        }
        finally
        {
            Console.SetOut(previousOut);
            Environment.CurrentDirectory = previousDirectory;
            context.Unload();
        }

        return output.ToString();
    }

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpFence();
}

/// <summary>The README examples redirect the console and the working directory, so they never run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeExamples
{
    public const string Name = "README examples";
}
