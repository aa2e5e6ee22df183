using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>Reads and writes <see cref="LabelMap"/> as a JSON object of strings.</summary>
public sealed class LabelMapJsonConverter : JsonConverter<LabelMap>
{
    /// <inheritdoc />
    public override LabelMap? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected an object of strings");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"the value of '{key}' must be a string");
            }

            pairs.Add(KeyValuePair.Create(key, reader.GetString()!));
        }

        return LabelMap.From(pairs);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, LabelMap value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WriteString(key, item);
        }

        writer.WriteEndObject();
    }
}
