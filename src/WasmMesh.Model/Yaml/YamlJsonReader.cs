using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WasmMesh.Model.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WasmMesh.Model.Yaml;

/// <summary>
/// Reads a YAML stream (one or more documents) into JSON trees as Kubernetes does: plain scalars become
/// null, booleans or numbers when they look like one (YAML 1.2 core schema), quoted scalars stay strings.
/// Records the line and column of every value so that later problems can point into the file.
/// </summary>
public static partial class YamlJsonReader
{
    /// <summary>The most nodes one stream may expand to (aliases included), guarding against alias bombs.</summary>
    public const int MaxNodes = 200_000;

    /// <summary>The deepest nesting accepted.</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads every document of a YAML stream.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="sourceName">The file name used in positions.</param>
    /// <returns>The documents, empty ones included as null roots.</returns>
    /// <exception cref="YamlReadException">The text is not well-formed YAML.</exception>
    public static IReadOnlyList<YamlDocument> Read(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw Translate(e, text, sourceName);
        }

        var documents = new List<YamlDocument>();
        var budget = new int[] { MaxNodes };
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            var doc = stream.Documents[i];
            var positions = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
            var start = Locate(sourceName, doc.RootNode.Start);
            var root = doc.RootNode is YamlScalarNode { Value: null or "" or "~" or "null", Style: ScalarStyle.Plain }
                ? null
                : Convert(doc.RootNode, string.Empty, sourceName, positions, 0, budget);
            documents.Add(new YamlDocument(i, root, start, positions));
        }

        return documents;
    }

    private static JsonNode? Convert(YamlNode node, string path, string source, Dictionary<string, SourceLocation> positions, int depth, int[] budget)
    {
        if (--budget[0] < 0)
        {
            throw new YamlReadException(Locate(source, node.Start), $"the document expands to more than {MaxNodes} nodes (aliases included); it is too large to read safely");
        }

        if (depth > MaxDepth)
        {
            throw new YamlReadException(Locate(source, node.Start), $"the document is nested more than {MaxDepth} levels deep");
        }

        if (path.Length > 0)
        {
            positions.TryAdd(path, Locate(source, node.Start));
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        throw new YamlReadException(Locate(source, keyNode.Start), "mapping keys must be plain strings");
                    }

                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (obj.ContainsKey(key))
                    {
                        throw new YamlReadException(Locate(source, keyNode.Start), $"duplicate key '{key}'; each key may appear once in a mapping");
                    }

                    positions.TryAdd(childPath + "#key", Locate(source, keyNode.Start));
                    obj[key] = Convert(valueNode, childPath, source, positions, depth + 1, budget);
                }

                return obj;

            case YamlSequenceNode sequence:
                var array = new JsonArray();
                var index = 0;
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, $"{path}[{index}]", source, positions, depth + 1, budget));
                    index++;
                }

                return array;

            case YamlScalarNode scalar:
                return ConvertScalar(scalar);

            default:
                throw new YamlReadException(Locate(source, node.Start), $"unsupported YAML node {node.NodeType}");
        }
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || (scalar.Tag.IsEmpty is false && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(value);
    }

    private static YamlReadException Translate(YamlException e, string text, string source)
    {
        var location = Locate(source, e.Start);
        var reason = e.InnerException?.Message ?? e.Message;
        var cut = reason.IndexOf("): ", StringComparison.Ordinal);
        if (reason.StartsWith('(') && cut > 0)
        {
            reason = reason[(cut + 3)..];
        }

        // A TAB in indentation is the most common cause; the parser may report it on a neighbouring line.
        var lines = text.Split('\n');
        var errorLine = (int)Math.Max(1, e.Start.Line);
        for (var number = Math.Max(1, errorLine - 1); number <= Math.Min(lines.Length, errorLine + 1); number++)
        {
            var line = lines[number - 1];
            if (line.TakeWhile(c => c is ' ' or '\t').Contains('\t'))
            {
                return new YamlReadException(
                    new SourceLocation(source, number, line.IndexOf('\t', StringComparison.Ordinal) + 1),
                    "a TAB character is used for indentation; YAML allows only spaces there: replace the TAB with spaces");
            }
        }

        if (reason.StartsWith("Duplicate key ", StringComparison.Ordinal))
        {
            return new YamlReadException(location, $"duplicate key '{reason["Duplicate key ".Length..].TrimEnd('.')}'; each key may appear once in a mapping");
        }

        return new YamlReadException(location, "invalid YAML: " + reason.TrimEnd('.'));
    }

    private static SourceLocation Locate(string source, Mark mark) => new(source, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
