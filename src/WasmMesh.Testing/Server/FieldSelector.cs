using System.Text.Json.Nodes;

namespace WasmMesh.Testing.Server;

/// <summary>A parsed field selector: <c>metadata.name=x</c>, <c>metadata.namespace!=y</c>, <c>type=Opaque</c>, comma-separated.</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Path, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public bool OnlyMetadata => _terms.All(t => t.Path is "metadata.name" or "metadata.namespace");

    public static FieldSelector? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ne = raw.IndexOf("!=", StringComparison.Ordinal);
            if (ne > 0)
            {
                terms.Add((raw[..ne].Trim(), false, raw[(ne + 2)..].Trim()));
                continue;
            }

            var eq2 = raw.IndexOf("==", StringComparison.Ordinal);
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq2 > 0)
            {
                terms.Add((raw[..eq2].Trim(), true, raw[(eq2 + 2)..].Trim()));
            }
            else if (eq > 0)
            {
                terms.Add((raw[..eq].Trim(), true, raw[(eq + 1)..].Trim()));
            }
            else
            {
                throw ApiError.BadRequest($"invalid field selector: '{raw}': expected field=value or field!=value");
            }
        }

        return new FieldSelector(terms);
    }

    public bool Matches(string ns, string name, Func<JsonObject> parse)
    {
        JsonObject? obj = null;
        foreach (var (path, equal, value) in _terms)
        {
            string actual;
            if (path == "metadata.name")
            {
                actual = name;
            }
            else if (path == "metadata.namespace")
            {
                actual = ns;
            }
            else
            {
                obj ??= parse();
                JsonNode? node = obj;
                foreach (var segment in path.Split('.'))
                {
                    node = node is JsonObject o ? o[segment] : null;
                }

                actual = node is JsonValue v ? v.ToString() : node?.ToJsonString() ?? string.Empty;
            }

            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
