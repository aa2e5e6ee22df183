using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WasmMesh.Istio.Rendering;

/// <summary>
/// Writes JSON values as YAML exactly as <c>kubectl -o yaml</c> prints them: block style, two-space
/// indentation, sequences at their key's indentation, keys sorted by <see cref="KubectlKeyComparer"/>, strings
/// that a YAML reader would take for another type in double quotes, strings that cannot be plain in single
/// quotes, multi-line strings as literal blocks.
/// </summary>
internal static partial class KubectlYaml
{
    /// <summary>Converts a JSON value to YAML text (ending with a newline).</summary>
    /// <param name="value">The value; usually an object.</param>
    /// <returns>The YAML text.</returns>
    public static string Serialize(JsonElement value)
    {
        var builder = new StringBuilder(2048);
        Write(value, builder);
        return builder.ToString();
    }

    /// <summary>Appends a JSON value as YAML.</summary>
    /// <param name="value">The value.</param>
    /// <param name="output">Where the text goes.</param>
    public static void Write(JsonElement value, StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when HasProperties(value):
                WriteMapping(value, 0, output, firstLineInline: false);
                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                WriteSequence(value, 0, output);
                break;
            default:
                WriteScalar(value, 0, output);
                output.Append('\n');
                break;
        }
    }

    /// <summary>Formats a string scalar the way kubectl would print it as a mapping value.</summary>
    /// <param name="text">The string.</param>
    /// <returns>The scalar text (plain, single- or double-quoted).</returns>
    public static string FormatString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 2);
        AppendString(text, 0, builder);
        return builder.ToString();
    }

    private static bool HasProperties(JsonElement obj)
    {
        using var e = obj.EnumerateObject();
        return e.MoveNext();
    }

    private static void WriteMapping(JsonElement obj, int indent, StringBuilder output, bool firstLineInline)
    {
        var properties = new List<JsonProperty>();
        foreach (var property in obj.EnumerateObject())
        {
            properties.Add(property);
        }

        properties.Sort(static (a, b) => KubectlKeyComparer.Instance.Compare(a.Name, b.Name));
        var first = true;
        foreach (var property in properties)
        {
            if (!(first && firstLineInline))
            {
                output.Append(' ', indent);
            }

            first = false;
            AppendKey(property.Name, output);
            output.Append(':');
            var v = property.Value;
            switch (v.ValueKind)
            {
                case JsonValueKind.Object when HasProperties(v):
                    output.Append('\n');
                    WriteMapping(v, indent + 2, output, firstLineInline: false);
                    break;
                case JsonValueKind.Array when v.GetArrayLength() > 0:
                    output.Append('\n');
                    WriteSequence(v, indent, output);
                    break;
                default:
                    output.Append(' ');
                    WriteScalar(v, indent, output);
                    output.Append('\n');
                    break;
            }
        }
    }

    private static void WriteSequence(JsonElement array, int indent, StringBuilder output)
    {
        foreach (var item in array.EnumerateArray())
        {
            output.Append(' ', indent);
            output.Append('-');
            switch (item.ValueKind)
            {
                case JsonValueKind.Object when HasProperties(item):
                    output.Append(' ');
                    WriteMapping(item, indent + 2, output, firstLineInline: true);
                    break;
                case JsonValueKind.Array when item.GetArrayLength() > 0:
                    output.Append(' ');
                    WriteNestedSequence(item, indent + 2, output);
                    break;
                default:
                    output.Append(' ');
                    WriteScalar(item, indent + 2, output);
                    output.Append('\n');
                    break;
            }
        }
    }

    private static void WriteNestedSequence(JsonElement array, int indent, StringBuilder output)
    {
        var first = true;
        foreach (var item in array.EnumerateArray())
        {
            if (!first)
            {
                output.Append(' ', indent);
            }

            first = false;
            output.Append("- ");
            switch (item.ValueKind)
            {
                case JsonValueKind.Object when HasProperties(item):
                    WriteMapping(item, indent + 2, output, firstLineInline: true);
                    break;
                case JsonValueKind.Array when item.GetArrayLength() > 0:
                    WriteNestedSequence(item, indent + 2, output);
                    break;
                default:
                    WriteScalar(item, indent + 2, output);
                    output.Append('\n');
                    break;
            }
        }
    }

    private static void WriteScalar(JsonElement value, int indent, StringBuilder output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                output.Append("{}");
                break;
            case JsonValueKind.Array:
                output.Append("[]");
                break;
            case JsonValueKind.String:
                AppendString(value.GetString()!, indent, output);
                break;
            case JsonValueKind.Number:
                output.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            default:
                output.Append("null");
                break;
        }
    }

    private static void AppendKey(string key, StringBuilder output)
    {
        if (key.Contains('\n', StringComparison.Ordinal))
        {
            AppendDoubleQuoted(key, output);
            return;
        }

        AppendString(key, 0, output);
    }

    private static void AppendString(string text, int indent, StringBuilder output)
    {
        if (ResolvesToNonString(text))
        {
            AppendDoubleQuoted(text, output);
            return;
        }

        if (text.Contains('\n', StringComparison.Ordinal) && !HasSpecialCharacters(text, allowBreaks: true))
        {
            AppendLiteral(text, indent, output);
            return;
        }

        var analysis = Analyze(text);
        if (analysis.PlainAllowed)
        {
            output.Append(text);
        }
        else if (analysis.SingleQuotedAllowed)
        {
            output.Append('\'').Append(text.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
        }
        else
        {
            AppendDoubleQuoted(text, output);
        }
    }

    private static void AppendLiteral(string text, int indent, StringBuilder output)
    {
        // As go-yaml: keep (+) when the final break follows another break or is the whole text, so "\n" reads back as
        // "\n" and not ""; an indentation hint when the first line starts with a space or is empty.
        var chomp = !text.EndsWith('\n') ? "-" : text.Length == 1 || text[^2] == '\n' ? "+" : string.Empty;
        var indentHint = text.Length > 0 && text[0] is ' ' or '\n' ? "2" : string.Empty;
        output.Append('|').Append(indentHint).Append(chomp);
        var body = chomp == "-" ? text : text[..^1];
        foreach (var line in body.Split('\n'))
        {
            output.Append('\n');
            if (line.Length > 0)
            {
                output.Append(' ', indent + 2).Append(line);
            }
        }
    }

    private static void AppendDoubleQuoted(string text, StringBuilder output)
    {
        output.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\0': output.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\ufeff')
                    {
                        output.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Append(c);
                    }

                    break;
            }
        }

        output.Append('"');
    }

    private static bool HasSpecialCharacters(string text, bool allowBreaks)
    {
        foreach (var c in text)
        {
            if (c == '\n' && allowBreaks)
            {
                continue;
            }

            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\ufeff')
            {
                return true;
            }
        }

        // A break next to a space cannot be written as a literal block faithfully.
        return text.Contains(" \n", StringComparison.Ordinal) || text.Contains("\n ", StringComparison.Ordinal) && text.StartsWith(' ');
    }

    private readonly record struct Analysis(bool PlainAllowed, bool SingleQuotedAllowed);

    private static Analysis Analyze(string text)
    {
        if (text.Length == 0)
        {
            return new Analysis(false, true);
        }

        var blockIndicators = text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal);
        var special = false;
        var leadingOrTrailingSpace = text[0] == ' ' || text[^1] == ' ';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var followedBySpace = i + 1 >= text.Length || text[i + 1] is ' ' or '\t' or '\n' or '\r';
            var precededBySpace = i > 0 && text[i - 1] is ' ' or '\t';
            if (i == 0)
            {
                if (c is '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`')
                {
                    blockIndicators = true;
                }

                if (c is '?' or ':' or '-' && followedBySpace)
                {
                    blockIndicators = true;
                }
            }
            else
            {
                if (c == ':' && followedBySpace)
                {
                    blockIndicators = true;
                }

                if (c == '#' && precededBySpace)
                {
                    blockIndicators = true;
                }
            }

            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\ufeff' or '\t')
            {
                special = true;
            }
        }

        if (special)
        {
            return new Analysis(false, false);
        }

        return new Analysis(!blockIndicators && !leadingOrTrailingSpace, true);
    }

    /// <summary>Whether a YAML 1.1 reader (as kubectl's) would read the plain text as null, a boolean, a number or a timestamp.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Whether it must be quoted to stay a string.</returns>
    public static bool ResolvesToNonString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return true;
        }

        var c = text[0];
        if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.' or '~' or 'n' or 'N' or 'y' or 'Y' or 't' or 'T' or 'f' or 'F' or 'o' or 'O'))
        {
            return false;
        }

        switch (text)
        {
            case "~" or "null" or "Null" or "NULL":
            case "y" or "Y" or "yes" or "Yes" or "YES" or "n" or "N" or "no" or "No" or "NO":
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE":
            case "on" or "On" or "ON" or "off" or "Off" or "OFF":
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF":
            case ".nan" or ".NaN" or ".NAN":
                return true;
        }

        return NumberPattern().IsMatch(text) || TimestampPattern().IsMatch(text) || Base60Pattern().IsMatch(text);
    }

    [GeneratedRegex(@"^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*|([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[0-9][0-9_]*([eE][-+]?[0-9]+)|\.[0-9]+([eE][-+]?[0-9]+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|\s+)?([0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?)?\s*(Z|[-+][0-9]{1,2}(:[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Base60Pattern();
}
