using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh;

/// <summary>
/// Reads and writes <c>metav1.Time</c>: RFC 3339 in UTC with whole seconds (<c>2021-10-27T10:00:36Z</c>).
/// </summary>
public sealed class KubernetesTimeConverter : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        return string.IsNullOrEmpty(text)
            ? null
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(Format(value.Value));
    }

    /// <summary>Formats a time as Kubernetes does: UTC, whole seconds, <c>Z</c> suffix.</summary>
    /// <param name="value">The time.</param>
    /// <returns>The RFC 3339 text.</returns>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
