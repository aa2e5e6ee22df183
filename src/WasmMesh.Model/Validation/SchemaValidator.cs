using System.Text.Json;
using System.Text.Json.Nodes;

namespace WasmMesh.Model.Validation;

/// <summary>
/// Checks a JSON tree against a structural OpenAPI v3 schema as the Kubernetes API server would: types,
/// required fields, enums and unknown fields. Every problem is reported, not just the first. Value ranges,
/// formats and cross-field rules are left to <see cref="AutoWasmValidator"/>, which explains them better.
/// </summary>
internal static class SchemaValidator
{
    /// <summary>Validates <paramref name="value"/> against <paramref name="schema"/>.</summary>
    /// <param name="value">The JSON value.</param>
    /// <param name="schema">The schema.</param>
    /// <param name="path">The field path of <paramref name="value"/> (empty for the root).</param>
    /// <param name="problems">Where problems are added.</param>
    /// <param name="skipFields">Top-level fields not to check (e.g. <c>status</c>).</param>
    public static void Validate(JsonNode? value, JsonObject schema, string path, ICollection<ValidationProblem> problems, IReadOnlySet<string>? skipFields = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(problems);
        Check(value, schema, path, problems, skipFields);
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, ICollection<ValidationProblem> problems, IReadOnlySet<string>? skip)
    {
        if (value is null)
        {
            return;
        }

        var type = (string?)schema["type"];
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        if (type is null)
        {
            return;
        }

        var kind = value.GetValueKind();
        switch (type)
        {
            case "object":
                if (value is not JsonObject obj)
                {
                    problems.Add(new ValidationProblem(path, $"expected a mapping (object), got {Describe(value, kind)}"));
                    return;
                }

                CheckObject(obj, schema, path, problems, preserve, skip);
                return;

            case "array":
                if (value is not JsonArray array)
                {
                    problems.Add(new ValidationProblem(path, $"expected a list, got {Describe(value, kind)}"));
                    return;
                }

                if (schema["items"] is JsonObject items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Check(array[i], items, $"{path}[{i}]", problems, null);
                    }
                }

                return;

            case "string":
                if (kind != JsonValueKind.String)
                {
                    problems.Add(new ValidationProblem(path, $"expected a string, got {Describe(value, kind)}; quote the value"));
                    return;
                }

                if (schema["enum"] is JsonArray allowed)
                {
                    var text = value.GetValue<string>();
                    var options = allowed.Select(a => (string)a!).ToList();
                    if (!options.Contains(text, StringComparer.Ordinal))
                    {
                        problems.Add(new ValidationProblem(path, $"'{text}' is not one of {string.Join(", ", options)}"));
                    }
                }

                return;

            case "integer":
                if (kind != JsonValueKind.Number || !IsInteger(value))
                {
                    problems.Add(new ValidationProblem(path, $"expected an integer, got {Describe(value, kind)}"));
                }
                else if ((string?)schema["format"] == "int32" && (!TryGetInt64(value, out var number) || number is < int.MinValue or > int.MaxValue))
                {
                    problems.Add(new ValidationProblem(path, $"{value.ToJsonString()} is out of range (-2147483648 to 2147483647)"));
                }

                return;

            case "number":
                if (kind != JsonValueKind.Number)
                {
                    problems.Add(new ValidationProblem(path, $"expected a number, got {Describe(value, kind)}"));
                }

                return;

            case "boolean":
                if (kind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    problems.Add(new ValidationProblem(path, $"expected true or false, got {Describe(value, kind)}"));
                }

                return;
        }
    }

    private static void CheckObject(JsonObject obj, JsonObject schema, string path, ICollection<ValidationProblem> problems, bool preserve, IReadOnlySet<string>? skip)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (key, child) in obj)
        {
            if (skip?.Contains(key) == true)
            {
                continue;
            }

            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (properties?[key] is JsonObject childSchema)
            {
                Check(child, childSchema, childPath, problems, null);
            }
            else if (additional is not null)
            {
                Check(child, additional, childPath, problems, null);
            }
            else if (properties is not null && !preserve)
            {
                var hint = Suggest(key, properties.Select(p => p.Key));
                problems.Add(new ValidationProblem(childPath, hint is null
                    ? $"unknown field; known fields here: {string.Join(", ", properties.Select(p => p.Key))}"
                    : $"unknown field; did you mean '{hint}'?"));
            }
        }

        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => (string)r!))
            {
                if (obj[name] is null)
                {
                    problems.Add(new ValidationProblem(path.Length == 0 ? name : $"{path}.{name}", "required field is missing"));
                }
            }
        }
    }

    private static bool TryGetInt64(JsonNode value, out long number)
    {
        var v = value.AsValue();
        if (v.TryGetValue(out number))
        {
            return true;
        }

        if (v.TryGetValue<int>(out var small))
        {
            number = small;
            return true;
        }

        if (v.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out number))
        {
            return true;
        }

        if (v.TryGetValue<decimal>(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue)
        {
            number = (long)d;
            return true;
        }

        number = 0;
        return false;
    }

    private static bool IsInteger(JsonNode value)
    {
        var v = value.AsValue();
        return v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _)
            || (v.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out _));
    }

    private static string Describe(JsonNode value, JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "a mapping",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string '{Short(value.GetValue<string>())}'",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.ToJsonString()}",
        JsonValueKind.Number => $"the number {value.ToJsonString()}",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Short(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static string? Suggest(string key, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            if (string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }

            var distance = Levenshtein(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return bestDistance <= 2 ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
