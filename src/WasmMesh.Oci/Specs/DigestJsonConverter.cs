using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>Reads and writes <see cref="Digest"/> as its <c>algorithm:hex</c> text.</summary>
internal sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Digest.TryParse(text, out var digest, out var error) ? digest : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.ToString());
}
