using System.Text.Json.Nodes;
using WasmMesh.Model.Validation;

namespace WasmMesh.Model.Yaml;

/// <summary>One YAML document converted to JSON, with the source position of every field path.</summary>
/// <param name="Index">The document's position in the stream, from 0.</param>
/// <param name="Root">The document as JSON (null for an empty document).</param>
/// <param name="Start">Where the document starts.</param>
/// <param name="Positions">Field path (e.g. <c>spec.filter.applyPorts[1]</c>) to the position of its value.</param>
public sealed record YamlDocument(int Index, JsonNode? Root, SourceLocation Start, IReadOnlyDictionary<string, SourceLocation> Positions)
{
    /// <summary>The position of a field path, or of its nearest ancestor that has one.</summary>
    /// <param name="path">The field path.</param>
    /// <returns>The location.</returns>
    public SourceLocation Locate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = path;
        while (true)
        {
            if (Positions.TryGetValue(current, out var location))
            {
                return location;
            }

            var cut = Math.Max(current.LastIndexOf('.'), current.LastIndexOf('['));
            if (cut <= 0)
            {
                return Start;
            }

            current = current[..cut];
        }
    }
}
