using System.Text.Json;
using System.Text.Json.Nodes;
using WasmMesh.Model.Validation;
using WasmMesh.Model.Yaml;

namespace WasmMesh.Model;

/// <summary>
/// Reads AutoWasm resources from YAML or JSON text (one or many documents separated by <c>---</c>) and
/// validates them against the CRD schema and the semantic rules, reporting every problem with its field
/// path, line and column.
/// </summary>
public static class AutoWasmReader
{
    /// <summary>The largest input accepted, in bytes.</summary>
    public const int MaxInputLength = 4 * 1024 * 1024;

    private static readonly HashSet<string> SkipStatus = new(StringComparer.Ordinal) { "status" };

    /// <summary>Reads every AutoWasm in <paramref name="text"/>.</summary>
    /// <param name="text">YAML or JSON text.</param>
    /// <param name="sourceName">The file name used in problem locations.</param>
    /// <returns>The resources when all are valid, and every problem.</returns>
    public static AutoWasmReadResult Read(string text, string sourceName = "<input>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var problems = new List<ValidationProblem>();
        var resources = new List<AutoWasm>();
        if (text.Length > MaxInputLength)
        {
            problems.Add(new(string.Empty, $"the input is {text.Length} characters, more than the {MaxInputLength} accepted") { Location = new SourceLocation(sourceName, 1, 1) });
            return new AutoWasmReadResult { Resources = [], Problems = problems };
        }

        IReadOnlyList<YamlDocument> documents;
        try
        {
            documents = YamlJsonReader.Read(text, sourceName);
        }
        catch (YamlReadException e)
        {
            problems.Add(new(string.Empty, e.Reason) { Location = e.Location });
            return new AutoWasmReadResult { Resources = [], Problems = problems };
        }

        foreach (var document in documents)
        {
            if (document.Root is null)
            {
                continue;
            }

            ReadDocument(document, resources, problems);
        }

        if (resources.Count == 0 && problems.Count == 0)
        {
            problems.Add(new(string.Empty, "the input holds no AutoWasm resource") { Location = new SourceLocation(sourceName, 1, 1) });
        }

        return new AutoWasmReadResult { Resources = problems.Count == 0 ? resources : [], Problems = problems };
    }

    /// <summary>Reads every AutoWasm in a file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The resources when all are valid, and every problem.</returns>
    public static async Task<AutoWasmReadResult> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxInputLength)
        {
            return new AutoWasmReadResult
            {
                Resources = [],
                Problems = [new(string.Empty, $"the file is {info.Length} bytes, more than the {MaxInputLength} accepted") { Location = new SourceLocation(path, 1, 1) }],
            };
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Read(text, path);
    }

    /// <summary>Reads exactly one valid AutoWasm.</summary>
    /// <param name="text">YAML or JSON text.</param>
    /// <param name="sourceName">The file name used in problem locations.</param>
    /// <returns>The resource.</returns>
    /// <exception cref="AutoWasmValidationException">The text is invalid or does not hold exactly one AutoWasm.</exception>
    public static AutoWasm ReadSingle(string text, string sourceName = "<input>")
    {
        var result = Read(text, sourceName);
        if (!result.IsValid)
        {
            throw new AutoWasmValidationException(result.Problems);
        }

        if (result.Resources.Count != 1)
        {
            throw new AutoWasmValidationException([new(string.Empty, $"expected one AutoWasm, found {result.Resources.Count}")]);
        }

        return result.Resources[0];
    }

    /// <summary>Validates a resource given as a JSON tree (for example one read from the Kubernetes API).</summary>
    /// <param name="node">The resource as JSON.</param>
    /// <param name="resource">The typed resource when structurally valid.</param>
    /// <returns>Every problem (schema and semantic).</returns>
    public static IReadOnlyList<ValidationProblem> Validate(JsonNode node, out AutoWasm? resource)
    {
        ArgumentNullException.ThrowIfNull(node);
        var problems = new List<ValidationProblem>();
        resource = Convert(node, problems, d => null);
        return problems;
    }

    private static void ReadDocument(YamlDocument document, List<AutoWasm> resources, List<ValidationProblem> problems)
    {
        var resource = Convert(document.Root!, problems, document.Locate);
        if (resource is not null)
        {
            resources.Add(resource);
        }
    }

    private static AutoWasm? Convert(JsonNode root, List<ValidationProblem> problems, Func<string, SourceLocation?> locate)
    {
        var before = problems.Count;
        if (root is not JsonObject obj)
        {
            problems.Add(new(string.Empty, "expected a mapping with apiVersion, kind, metadata and spec") { Location = locate(string.Empty) });
            return null;
        }

        var apiVersion = obj["apiVersion"]?.GetValueKind() == JsonValueKind.String ? (string?)obj["apiVersion"] : null;
        var kind = obj["kind"]?.GetValueKind() == JsonValueKind.String ? (string?)obj["kind"] : null;
        if (kind != AutoWasm.KindValue)
        {
            var message = kind is null
                ? $"is missing; this input must hold AutoWasm resources (apiVersion: {AutoWasm.ApiVersionValue}, kind: {AutoWasm.KindValue})"
                : $"'{kind}' is not {AutoWasm.KindValue}; this input must hold AutoWasm resources (apiVersion: {AutoWasm.ApiVersionValue}, kind: {AutoWasm.KindValue})";
            problems.Add(new("kind", message) { Location = locate("kind") });
            return null;
        }

        if (apiVersion != AutoWasm.ApiVersionValue)
        {
            problems.Add(new("apiVersion", $"{(apiVersion is null ? "is missing" : $"'{apiVersion}' is not served")}; use {AutoWasm.ApiVersionValue}") { Location = locate("apiVersion") });
            return null;
        }

        var schemaProblems = new List<ValidationProblem>();
        SchemaValidator.Validate(root, AutoWasmCrd.SchemaNode, string.Empty, schemaProblems, SkipStatus);
        if (obj["metadata"] is JsonObject metadata)
        {
            CheckMetadataTypes(metadata, schemaProblems);
        }

        problems.AddRange(schemaProblems.Select(p => p with { Location = locate(p.Path) }));
        if (problems.Count > before)
        {
            return null;
        }

        AutoWasm? resource;
        try
        {
            resource = root.Deserialize(ModelJsonContext.Default.AutoWasm);
        }
        catch (JsonException e)
        {
            var path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            problems.Add(new(path, "cannot be read: " + e.Message.Split(" Path:")[0]) { Location = locate(path) });
            return null;
        }

        if (resource is null)
        {
            return null;
        }

        problems.AddRange(AutoWasmValidator.Validate(resource).Select(p => p with { Location = locate(p.Path) }));
        return problems.Count > before ? null : resource;
    }

    private static void CheckMetadataTypes(JsonObject metadata, List<ValidationProblem> problems)
    {
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion" })
        {
            if (metadata[field] is { } value && value.GetValueKind() != JsonValueKind.String)
            {
                problems.Add(new($"metadata.{field}", $"expected a string, got {value.ToJsonString()}; quote the value"));
            }
        }

        foreach (var field in new[] { "labels", "annotations" })
        {
            if (metadata[field] is null)
            {
                continue;
            }

            if (metadata[field] is not JsonObject map)
            {
                problems.Add(new($"metadata.{field}", "expected a mapping of strings"));
                continue;
            }

            foreach (var (key, value) in map)
            {
                if (value?.GetValueKind() != JsonValueKind.String)
                {
                    problems.Add(new($"metadata.{field}.{key}", $"expected a string, got {value?.ToJsonString() ?? "null"}; quote the value"));
                }
            }
        }
    }
}
