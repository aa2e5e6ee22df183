using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WasmMesh.Testing.Server;

/// <summary>One field error as the API server reports it: a cause with reason, field path and message.</summary>
internal sealed record FieldError(string Reason, string Field, string Detail)
{
    public override string ToString() => $"{Field}: {Detail}";
}

/// <summary>
/// A CRD version's <c>openAPIV3Schema</c> as a structural schema: it prunes unknown fields (unless
/// <c>x-kubernetes-preserve-unknown-fields</c>), applies defaults and validates types, enums, required fields, bounds, lengths,
/// patterns, item counts and the <c>date-time</c> format, reporting each problem with its field path and the API server's wording.
/// <c>x-kubernetes-validations</c> (CEL) rules are not evaluated.
/// </summary>
internal sealed partial class StructuralSchema
{
    private StructuralSchema()
    {
    }

    public string? Type { get; private init; }

    public bool Nullable { get; private init; }

    public bool PreserveUnknownFields { get; private init; }

    public bool IntOrString { get; private init; }

    public bool EmbeddedResource { get; private init; }

    public IReadOnlyDictionary<string, StructuralSchema>? Properties { get; private init; }

    public StructuralSchema? AdditionalProperties { get; private init; }

    public StructuralSchema? Items { get; private init; }

    public IReadOnlyList<string> Required { get; private init; } = [];

    public JsonArray? Enum { get; private init; }

    public JsonNode? Default { get; private init; }

    public double? Minimum { get; private init; }

    public double? Maximum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public Regex? Pattern { get; private init; }

    public string? PatternText { get; private init; }

    public long? MinItems { get; private init; }

    public long? MaxItems { get; private init; }

    public bool UniqueItems { get; private init; }

    public long? MinProperties { get; private init; }

    public long? MaxProperties { get; private init; }

    public string? Format { get; private init; }

    public IReadOnlyList<StructuralSchema> AllOf { get; private init; } = [];

    /// <summary>Reads a schema node; <paramref name="path"/> names it in errors about the schema itself.</summary>
    public static StructuralSchema Parse(JsonObject node, string path)
    {
        Dictionary<string, StructuralSchema>? properties = null;
        if (node["properties"] is JsonObject props)
        {
            properties = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
            foreach (var (name, child) in props)
            {
                properties[name] = child is JsonObject o ? Parse(o, $"{path}.properties[{name}]") : throw SchemaError($"{path}.properties[{name}]", "must be an object");
            }
        }

        string? patternText = node["pattern"]?.ToString();
        Regex? pattern = null;
        if (patternText is not null)
        {
            try
            {
                pattern = new Regex(patternText, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw SchemaError($"{path}.pattern", $"must be a valid regular expression: {ex.Message}");
            }
        }

        return new StructuralSchema
        {
            Type = node["type"]?.ToString(),
            Nullable = Bool(node, "nullable"),
            PreserveUnknownFields = Bool(node, "x-kubernetes-preserve-unknown-fields"),
            IntOrString = Bool(node, "x-kubernetes-int-or-string"),
            EmbeddedResource = Bool(node, "x-kubernetes-embedded-resource"),
            Properties = properties,
            AdditionalProperties = node["additionalProperties"] is JsonObject ap ? Parse(ap, $"{path}.additionalProperties") : null,
            Items = node["items"] is JsonObject items ? Parse(items, $"{path}.items") : null,
            Required = (node["required"] as JsonArray)?.Select(r => r?.ToString() ?? string.Empty).ToList() ?? [],
            Enum = node["enum"] as JsonArray,
            Default = node["default"],
            Minimum = Number(node, "minimum"),
            Maximum = Number(node, "maximum"),
            ExclusiveMinimum = Bool(node, "exclusiveMinimum"),
            ExclusiveMaximum = Bool(node, "exclusiveMaximum"),
            MinLength = Integer(node, "minLength"),
            MaxLength = Integer(node, "maxLength"),
            Pattern = pattern,
            PatternText = patternText,
            MinItems = Integer(node, "minItems"),
            MaxItems = Integer(node, "maxItems"),
            UniqueItems = Bool(node, "uniqueItems"),
            MinProperties = Integer(node, "minProperties"),
            MaxProperties = Integer(node, "maxProperties"),
            Format = node["format"]?.ToString(),
            AllOf = (node["allOf"] as JsonArray)?.OfType<JsonObject>().Select((a, i) => Parse(a, $"{path}.allOf[{i}]")).ToList() ?? [],
        };
    }

    /// <summary>
    /// Removes the fields the schema does not know from a whole object (the root keeps <c>apiVersion</c>, <c>kind</c> and
    /// <c>metadata</c>) and returns their paths, as the API server's pruning does.
    /// </summary>
    public List<string> PruneObject(JsonObject obj)
    {
        var pruned = new List<string>();
        PruneFields(obj, string.Empty, pruned, isRoot: true);
        return pruned;
    }

    /// <summary>Sets the <c>default</c> of every absent property whose schema has one.</summary>
    public void ApplyDefaults(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (Properties is not null)
                {
                    foreach (var (name, child) in Properties)
                    {
                        if (!obj.ContainsKey(name) && child.Default is not null)
                        {
                            obj[name] = child.Default.DeepClone();
                        }

                        if (obj[name] is { } value)
                        {
                            child.ApplyDefaults(value);
                        }
                    }
                }
                else if (AdditionalProperties is not null)
                {
                    foreach (var (_, value) in obj)
                    {
                        AdditionalProperties.ApplyDefaults(value);
                    }
                }

                break;
            case JsonArray array when Items is not null:
                foreach (var item in array)
                {
                    Items.ApplyDefaults(item);
                }

                break;
        }
    }

    /// <summary>Validates a whole object; the root's <c>metadata</c>, <c>apiVersion</c> and <c>kind</c> are the server's own business.</summary>
    public List<FieldError> ValidateObject(JsonObject obj)
    {
        var errors = new List<FieldError>();
        Validate(obj, string.Empty, errors, isRoot: true);
        return errors;
    }

    private void PruneFields(JsonObject obj, string path, List<string> pruned, bool isRoot)
    {
        var keepMeta = isRoot || EmbeddedResource;
        foreach (var (name, value) in obj.ToList())
        {
            var childPath = Join(path, name);
            if (keepMeta && name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            var child = Properties?.GetValueOrDefault(name) ?? (Properties is null ? AdditionalProperties : null);
            if (child is null)
            {
                if (!PreserveUnknownFields)
                {
                    obj.Remove(name);
                    pruned.Add(childPath);
                }

                continue;
            }

            child.Prune(value, childPath, pruned);
        }
    }

    private void Prune(JsonNode? node, string path, List<string> pruned)
    {
        switch (node)
        {
            case JsonObject obj when Properties is not null || AdditionalProperties is not null || !PreserveUnknownFields:
                if (Type is "object" || Properties is not null || AdditionalProperties is not null)
                {
                    PruneFields(obj, path, pruned, isRoot: false);
                }

                break;
            case JsonArray array when Items is not null:
                for (var i = 0; i < array.Count; i++)
                {
                    Items.Prune(array[i], $"{path}[{i}]", pruned);
                }

                break;
        }
    }

    private void Validate(JsonNode? node, string path, List<FieldError> errors, bool isRoot = false)
    {
        var kind = node?.GetValueKind() ?? JsonValueKind.Null;
        if (kind == JsonValueKind.Null)
        {
            if (!Nullable && (Type is not null || IntOrString))
            {
                errors.Add(TypeError(path, IntOrString ? "integer-or-string" : Type!, "null"));
            }

            return;
        }

        var actual = TypeName(node!);
        if (IntOrString)
        {
            if (actual is not ("integer" or "string"))
            {
                errors.Add(TypeError(path, "integer-or-string", actual));
                return;
            }
        }
        else if (Type is not null && !(Type == actual || (Type == "number" && actual == "integer")))
        {
            errors.Add(TypeError(path, Type, actual));
            return;
        }

        if (Enum is not null && !Enum.Any(e => JsonNode.DeepEquals(e, node)))
        {
            var supported = Enum.Select(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.ToString() : e?.ToJsonString() ?? "null");
            errors.Add(new FieldError("FieldValueNotSupported", path, $"Unsupported value: {Render(node)}: supported values: {string.Join(", ", supported.Select(Quote))}"));
        }

        switch (node)
        {
            case JsonObject obj:
                ValidateObjectNode(obj, path, errors, isRoot);
                break;
            case JsonArray array:
                ValidateArray(array, path, errors);
                break;
            case JsonValue value when actual == "string":
                ValidateString(value.ToString(), path, errors);
                break;
            case JsonValue value when actual is "integer" or "number":
                ValidateNumber(AsDouble(value), Render(value), path, errors);
                break;
        }

        foreach (var part in AllOf)
        {
            part.Validate(node, path, errors, isRoot);
        }
    }

    private void ValidateObjectNode(JsonObject obj, string path, List<FieldError> errors, bool isRoot)
    {
        foreach (var name in Required)
        {
            if (!obj.ContainsKey(name))
            {
                errors.Add(new FieldError("FieldValueRequired", Join(path, name), "Required value"));
            }
        }

        if (MinProperties is { } minProps && obj.Count < minProps)
        {
            errors.Add(Invalid(path, Render(obj), $"{Body(path)} should have at least {minProps} properties"));
        }

        if (MaxProperties is { } maxProps && obj.Count > maxProps)
        {
            errors.Add(new FieldError("FieldValueTooMany", path, $"Too many: {obj.Count}: must have at most {maxProps} items"));
        }

        foreach (var (name, value) in obj)
        {
            if ((isRoot || EmbeddedResource) && name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            var child = Properties?.GetValueOrDefault(name) ?? AdditionalProperties;
            child?.Validate(value, Join(path, name), errors);
        }
    }

    private void ValidateArray(JsonArray array, string path, List<FieldError> errors)
    {
        if (MinItems is { } min && array.Count < min)
        {
            errors.Add(Invalid(path, Render(array), $"{Body(path)} should have at least {min} items"));
        }

        if (MaxItems is { } max && array.Count > max)
        {
            errors.Add(new FieldError("FieldValueTooMany", path, $"Too many: {array.Count}: must have at most {max} items"));
        }

        if (UniqueItems)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array.Take(i).Any(other => JsonNode.DeepEquals(other, array[i])))
                {
                    errors.Add(new FieldError("FieldValueDuplicate", $"{path}[{i}]", $"Duplicate value: {Render(array[i])}"));
                }
            }
        }

        if (Items is not null)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Items.Validate(array[i], $"{path}[{i}]", errors);
            }
        }
    }

    private void ValidateString(string value, string path, List<FieldError> errors)
    {
        if (MaxLength is { } max && value.EnumerateRunes().Count() > max)
        {
            errors.Add(new FieldError("FieldValueTooLong", path, $"Too long: may not be more than {max} bytes"));
        }

        if (MinLength is { } min && value.EnumerateRunes().Count() < min)
        {
            errors.Add(Invalid(path, Quote(value), $"{Body(path)} should be at least {min} chars long"));
        }

        if (Pattern is not null && !Pattern.IsMatch(value))
        {
            errors.Add(Invalid(path, Quote(value), $"{Body(path)} should match '{PatternText}'"));
        }

        if (Format is "date-time" && !DateTimeFormat().IsMatch(value))
        {
            errors.Add(Invalid(path, Quote(value), $"{Body(path)} must be of type date-time: {Quote(value)}"));
        }
    }

    private void ValidateNumber(double value, string rendered, string path, List<FieldError> errors)
    {
        if (Minimum is { } min && (ExclusiveMinimum ? value <= min : value < min))
        {
            errors.Add(Invalid(path, rendered, $"{Body(path)} should be greater than {(ExclusiveMinimum ? string.Empty : "or equal to ")}{Number(min)}"));
        }

        if (Maximum is { } max && (ExclusiveMaximum ? value >= max : value > max))
        {
            errors.Add(Invalid(path, rendered, $"{Body(path)} should be less than {(ExclusiveMaximum ? string.Empty : "or equal to ")}{Number(max)}"));
        }
    }

    private static FieldError TypeError(string path, string expected, string actual) =>
        Invalid(path, Quote(actual), $"{Body(path)} must be of type {expected}: {Quote(actual)}");

    private static FieldError Invalid(string path, string renderedValue, string detail) =>
        new("FieldValueInvalid", path, $"Invalid value: {renderedValue}: {detail}");

    private static string Body(string path) => path.Length == 0 ? "body" : $"{path} in body";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string TypeName(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => IsInteger(node.AsValue()) ? "integer" : "number",
        _ => "null",
    };

    private static bool IsInteger(JsonValue value)
    {
        if (value.TryGetValue<long>(out _) || value.TryGetValue<int>(out _))
        {
            return true;
        }

        var d = AsDouble(value);
        return Math.Floor(d) == d && !double.IsInfinity(d);
    }

    private static string Render(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.ToString()),
        _ => node.ToJsonString(),
    };

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static double AsDouble(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static bool Bool(JsonObject node, string name) =>
        node[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static double? Number(JsonObject node, string name) =>
        node[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? AsDouble(v) : null;

    private static long? Integer(JsonObject node, string name) =>
        node[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) ? l : null;

    private static ApiError SchemaError(string path, string why) =>
        new(422, "Invalid", $"{path}: Invalid value: {why}");

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex DateTimeFormat();
}
