using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace WasmMesh.Operator.Watches;

/// <summary>
/// An Istio resource the controller owns, as the owned-output watch keeps it: metadata (owner references, labels) and a
/// fingerprint of the spec, never the spec itself (controller-runtime's metadata-only <c>Owns</c>). The watch only maps an
/// event to the owning AutoWasm and tells a spec edit from an unchanged update; the writer reads the object itself.
/// </summary>
internal sealed record OwnedOutput : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The API version.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    /// <summary>The kind.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    /// <summary>The metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>A SHA-256 fingerprint of the spec as the server sent it (its first 16 bytes); zero when there is no spec.</summary>
    [JsonPropertyName("spec")]
    [JsonConverter(typeof(SpecFingerprintConverter))]
    public UInt128 SpecFingerprint { get; init; }
}

/// <summary>
/// Reads a JSON value as the fingerprint of its tokens (type and raw bytes, in order) without keeping it. The same
/// server text always gives the same fingerprint; any edit to the value gives another one.
/// </summary>
internal sealed class SpecFingerprintConverter : JsonConverter<UInt128>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override UInt128 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var depth = reader.CurrentDepth;
        Span<byte> header = stackalloc byte[5];
        while (true)
        {
            ReadOnlySpan<byte> value = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
            header[0] = (byte)reader.TokenType;
            BitConverter.TryWriteBytes(header[1..], value.Length);
            hash.AppendData(header);
            hash.AppendData(value);
            if (reader.CurrentDepth == depth && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                break;
            }

            if (!reader.Read())
            {
                throw new JsonException("The spec ends early.");
            }
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        // Never zero, which stands for "no spec".
        return new UInt128(BitConverter.ToUInt64(digest), BitConverter.ToUInt64(digest[8..])) | UInt128.One;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, UInt128 value, JsonSerializerOptions options) =>
        throw new NotSupportedException("An owned-output fingerprint is never written.");
}
