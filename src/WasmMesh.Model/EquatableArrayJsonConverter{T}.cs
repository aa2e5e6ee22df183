using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>Reads and writes <see cref="EquatableArray{T}"/> as a JSON array using the options' type info for T.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class EquatableArrayJsonConverter<T> : JsonConverter<EquatableArray<T>>
{
    /// <inheritdoc />
    public override EquatableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array");
        }

        var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var builder = ImmutableArray.CreateBuilder<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            try
            {
                builder.Add(JsonSerializer.Deserialize(ref reader, info)!);
            }
            catch (JsonException e)
            {
                // The nested read starts its own path at '$': name the item here; the serializer adds the array's path.
                var core = e.Message.IndexOf(" Path: ", StringComparison.Ordinal) is var cut and >= 0 ? e.Message[..cut] : e.Message;
                throw new JsonException($"[{builder.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}]{(e.Path is { Length: > 1 } inner ? inner[1..] : string.Empty)}: {core}", e);
            }
        }

        return new EquatableArray<T>(builder.ToImmutable());
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, EquatableArray<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, info);
        }

        writer.WriteEndArray();
    }
}
