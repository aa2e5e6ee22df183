using System.Text.Json.Nodes;

namespace WasmMesh.Testing.Server;

/// <summary>The simple JSONPath subset CRD printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a['x.y']</c>, optional braces.</summary>
internal static class JsonPath
{
    public static JsonNode? Evaluate(JsonNode? root, string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}'))
        {
            p = p[1..^1];
        }

        if (p.StartsWith('$'))
        {
            p = p[1..];
        }

        var node = root;
        var i = 0;
        while (i < p.Length && node is not null)
        {
            if (p[i] == '.')
            {
                i++;
                var start = i;
                var sb = new System.Text.StringBuilder();
                while (i < p.Length && p[i] != '.' && p[i] != '[')
                {
                    if (p[i] == '\\' && i + 1 < p.Length)
                    {
                        i++;
                    }

                    sb.Append(p[i]);
                    i++;
                }

                if (i == start)
                {
                    continue;
                }

                node = node is JsonObject o ? o[sb.ToString()] : null;
            }
            else if (p[i] == '[')
            {
                var end = p.IndexOf(']', i);
                if (end < 0)
                {
                    return null;
                }

                var inner = p[(i + 1)..end].Trim();
                i = end + 1;
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"'))
                {
                    node = node is JsonObject o ? o[inner[1..^1]] : null;
                }
                else if (int.TryParse(inner, out var index))
                {
                    node = node is JsonArray a ? (index < 0 ? (a.Count + index >= 0 ? a[a.Count + index] : null) : index < a.Count ? a[index] : null) : null;
                }
                else
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
        }

        return node;
    }
}
