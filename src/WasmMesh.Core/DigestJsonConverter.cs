using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh;

/// <summary>
/// Reads and writes a <see cref="Digest"/> as JSON text: <c>algorithm:hex</c> (e.g. an OCI manifest digest), or — with
/// <see cref="Sha256HexDigestJsonConverter"/> — bare sha256 hex, as Envoy's <c>remote.sha256</c> is written.
/// </summary>
/// <remarks>
/// A value that is not a valid digest reads as <see langword="null"/> rather than failing the whole document: digests in
/// a resource's status are written by a controller, and one object whose status was edited by hand must not stop a
/// list of many from being read. The controller writes a valid value again on its next update.
/// </remarks>
public class DigestJsonConverter : JsonConverter<Digest?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override Digest? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"a digest is JSON text, not {reader.TokenType}");
        }

        return Parse(reader.GetString());
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Digest? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not { IsEmpty: false } digest)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(Format(digest));
    }

    /// <summary>Parses the text form; <see langword="null"/> when it is not a valid digest.</summary>
    /// <param name="text">The JSON string.</param>
    /// <returns>The digest, or <see langword="null"/>.</returns>
    protected virtual Digest? Parse(string? text) => Digest.TryParse(text, out var digest) ? digest : null;

    /// <summary>Formats a digest for writing.</summary>
    /// <param name="digest">A non-empty digest.</param>
    /// <returns>The text written.</returns>
    protected virtual string Format(Digest digest) => digest.ToString();
}

/// <summary>Reads and writes a sha256 <see cref="Digest"/> as bare lowercase hex (no <c>sha256:</c> prefix).</summary>
public sealed class Sha256HexDigestJsonConverter : DigestJsonConverter
{
    /// <inheritdoc />
    protected override Digest? Parse(string? text) => Digest.TryFromSha256Hex(text, out var digest) ? digest : null;

    /// <inheritdoc />
    protected override string Format(Digest digest) => digest.Algorithm == Digest.Sha256Algorithm
        ? digest.Hex
        : throw new JsonException($"'{digest}' is not a sha256 digest");
}
