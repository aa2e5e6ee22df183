using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh;

/// <summary>Reads any RFC 3339 time and writes it in UTC with a fixed format, as the Kubernetes API does.</summary>
/// <param name="format">The .NET format string used when writing.</param>
public abstract class KubernetesTimeConverterBase(string format) : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new JsonException($"'{text}' is not an RFC 3339 time such as 2021-10-27T10:00:36Z");
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

        writer.WriteStringValue(value.Value.UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
    }
}
