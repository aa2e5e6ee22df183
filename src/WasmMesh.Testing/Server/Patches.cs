using System.Text.Json.Nodes;

namespace WasmMesh.Testing.Server;

/// <summary>JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch (as a merge patch without directives).</summary>
internal static class Patches
{
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = MergePatch(result[key], value);
                result[key] = merged;
            }
        }

        return result;
    }

    /// <summary>Removes strategic-merge directives (<c>$patch</c>, <c>$retainKeys</c>, <c>$setElementOrder/…</c>, <c>$deleteFromPrimitiveList/…</c>).</summary>
    public static JsonNode? StripStrategicDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (key.StartsWith('$'))
                    {
                        continue;
                    }

                    result[key] = StripStrategicDirectives(value);
                }

                return result;
            case JsonArray a:
                var array = new JsonArray();
                foreach (var item in a)
                {
                    if (item is JsonObject io && io.ContainsKey("$patch"))
                    {
                        continue;
                    }

                    array.Add(StripStrategicDirectives(item));
                }

                return array;
            default:
                return node?.DeepClone();
        }
    }

    public static JsonNode? JsonPatch(JsonNode? target, JsonArray operations)
    {
        var doc = target?.DeepClone();
        foreach (var opNode in operations)
        {
            if (opNode is not JsonObject op)
            {
                throw ApiError.BadRequest("JSON patch operations must be objects");
            }

            var kind = op["op"]?.GetValue<string>() ?? throw ApiError.BadRequest("JSON patch operation without 'op'");
            var path = op["path"]?.GetValue<string>() ?? throw ApiError.BadRequest("JSON patch operation without 'path'");
            switch (kind)
            {
                case "add":
                    doc = Add(doc, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    doc = Remove(doc, path, out _);
                    break;
                case "replace":
                    doc = Remove(doc, path, out _);
                    doc = Add(doc, path, op["value"]?.DeepClone());
                    break;
                case "move":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw ApiError.BadRequest("JSON patch 'move' without 'from'");
                    doc = Remove(doc, from, out var moved);
                    doc = Add(doc, path, moved);
                    break;
                }

                case "copy":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw ApiError.BadRequest("JSON patch 'copy' without 'from'");
                    doc = Add(doc, path, Get(doc, from)?.DeepClone());
                    break;
                }

                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), op["value"]))
                    {
                        throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: testing value at {path} failed");
                    }

                    break;
                default:
                    throw ApiError.BadRequest($"unknown JSON patch operation '{kind}'");
            }
        }

        return doc;
    }

    private static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (!pointer.StartsWith('/'))
        {
            throw ApiError.BadRequest($"invalid JSON pointer '{pointer}'");
        }

        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    private static JsonNode? Get(JsonNode? doc, string pointer)
    {
        var node = doc;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : throw Missing(pointer),
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(pointer),
            };
        }

        return node;
    }

    private static JsonNode? Add(JsonNode? doc, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            return value;
        }

        var parent = tokens.Length == 1 ? doc : Get(doc, "/" + string.Join('/', tokens[..^1].Select(Escape)));

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                if (last == "-")
                {
                    a.Add(value);
                }
                else if (int.TryParse(last, out var i) && i >= 0 && i <= a.Count)
                {
                    a.Insert(i, value);
                }
                else
                {
                    throw Missing(pointer);
                }

                break;
            default:
                throw Missing(pointer);
        }

        return doc;
    }

    private static JsonNode? Remove(JsonNode? doc, string pointer, out JsonNode? removed)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            removed = doc;
            return null;
        }

        var parent = tokens.Length == 1 ? doc : Get(doc, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var v):
                o.Remove(last);
                removed = v;
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw Missing(pointer);
        }

        return doc;
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static ApiError Missing(string pointer) => new(422, "Invalid", $"the server rejected our request due to an error in our request: JSON patch path '{pointer}' does not exist");
}
