using System.Text.Json;
using WasmMesh.Istio.Rendering;
using WasmMesh.Model;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Istio.Tests;

/// <summary>
/// Cases/&lt;case&gt;/input.yaml (+ optional case.json with sha256 and builder options) must render to
/// Cases/&lt;case&gt;/expected.yaml byte for byte.
/// </summary>
public sealed class GoldenCaseTests
{
    private const string ReferenceSha = "750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(CasesRoot).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    private static string CasesRoot => Path.Combine(RepoPaths.Root, "tests", "WasmMesh.Istio.Tests", "Cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Case_MatchesGoldenFile(string name)
    {
        var dir = Path.Combine(CasesRoot, name);
        var input = File.ReadAllText(Path.Combine(dir, "input.yaml"));
        var options = new EnvoyFilterBuilderOptions();
        var sha = ReferenceSha;
        IstioOutputKind? kind = null;
        var casePath = Path.Combine(dir, "case.json");
        if (File.Exists(casePath))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(casePath));
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "sha256": sha = property.Value.GetString()!; break;
                    case "serviceName": options.ServiceName = property.Value.GetString()!; break;
                    case "serviceNamespace": options.ServiceNamespace = property.Value.GetString()!; break;
                    case "servicePort": options.ServicePort = property.Value.GetInt32(); break;
                    case "clusterDomain": options.ClusterDomain = property.Value.GetString()!; break;
                    case "uriScheme": options.UriScheme = property.Value.GetString(); break;
                    case "timeoutSeconds": options.FetchTimeout = TimeSpan.FromSeconds(property.Value.GetDouble()); break;
                    case "retries": options.FetchRetries = property.Value.GetInt32(); break;
                    case "useFailurePolicy": options.UseFailurePolicy = property.Value.GetBoolean(); break;
                    case "istioVersion": options.IstioVersion = property.Value.GetString()!; break;
                    case "output": kind = Enum.Parse<IstioOutputKind>(property.Value.GetString()!); break;
                    case "labels":
                        foreach (var label in property.Value.EnumerateObject())
                        {
                            options.Labels[label.Name] = label.Value.GetString()!;
                        }

                        break;
                    default: throw new InvalidOperationException($"unknown case option {property.Name} in {casePath}");
                }
            }
        }

        var read = AutoWasmReader.Read(input, Path.Combine(dir, "input.yaml"));
        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        var builder = new IstioOutputBuilder(options);
        var outputs = read.Resources.Select(r => builder.Build(r, Digest.FromSha256Hex(sha), kind ?? IstioOutputBuilder.OutputFor(r))).ToList();
        var yaml = IstioRenderer.ToYaml(outputs.Select(o => o.Resource));
        GoldenFile.AssertMatches(Path.Combine(dir, "expected.yaml"), yaml);

        // Every golden output is valid for the newest release too, and EnvoyFilters without a priority for 1.10 and 1.20.
        foreach (var output in outputs)
        {
            using var document = IstioRenderer.ToJsonDocument(output.Resource);
            var spec = document.RootElement.GetProperty("spec");
            Assert.Empty(IstioFieldTable.Check(output.Resource.Kind, spec, IstioRelease.Latest));
            if (output.Resource.Kind == "EnvoyFilter" && !spec.TryGetProperty("priority", out _))
            {
                Assert.Empty(IstioFieldTable.Check("EnvoyFilter", spec, IstioRelease.Parse("1.10")));
                Assert.Empty(IstioFieldTable.Check("EnvoyFilter", spec, IstioRelease.Parse("1.20")));
            }
        }

        var notes = outputs.SelectMany(o => o.Notes).ToList();
        var notesPath = Path.Combine(dir, "notes.txt");
        if (notes.Count > 0 || File.Exists(notesPath))
        {
            GoldenFile.AssertMatches(notesPath, string.Join("\n", notes) + "\n");
        }

        if (outputs.All(o => o.Output == IstioOutputKind.EnvoyFilter) && !options.UseFailurePolicy && read.Resources.All(r => r.Spec.Filter.FailurePolicy is null && r.Spec.Filter.Phase is null && r.Spec.Filter.Priority is null))
        {
            // No new option: the EnvoyFilter builder's own output is the same bytes.
            var plain = new EnvoyFilterBuilder(options);
            Assert.Equal(yaml, EnvoyFilterRenderer.ToYaml(read.Resources.Select(r => plain.Build(r, Digest.FromSha256Hex(sha)))));
        }
    }

    [Fact]
    public void Render_ReferenceCase_ExpectedFileIsTheReferenceFromTheDesign()
    {
        // The reference expected file is not generated: it is the EnvoyFilter of the design document, verbatim.
        var expected = File.ReadAllText(Path.Combine(CasesRoot, "reference", "expected.yaml"));
        Assert.StartsWith("apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: test\n  namespace: default\nspec:\n", expected);
        Assert.Contains("          '@type': type.googleapis.com/udpa.type.v1.TypedStruct\n", expected);
        Assert.Contains("                      uri: wasmer.istio-system:8081/wasm/750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f\n", expected);
        Assert.EndsWith("  workloadSelector:\n    labels:\n      app: details\n", expected);
    }
}
