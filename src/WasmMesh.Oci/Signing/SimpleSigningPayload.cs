using System.Text;
using System.Text.Json;

namespace WasmMesh.Oci;

/// <summary>The cosign "simple signing" payload: the signed claim that names a manifest digest.</summary>
internal static class SimpleSigningPayload
{
    /// <summary>The most bytes a payload (or a bundle) may have.</summary>
    public const int MaxSize = 1024 * 1024;

    /// <summary>Writes the payload as cosign does: critical.identity, critical.image, critical.type, optional.</summary>
    public static byte[] Create(string dockerReference, Digest manifestDigest, IReadOnlyDictionary<string, string>? optional = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("critical");
            json.WriteStartObject("identity");
            json.WriteString("docker-reference", dockerReference);
            json.WriteEndObject();
            json.WriteStartObject("image");
            json.WriteString("docker-manifest-digest", manifestDigest.ToString());
            json.WriteEndObject();
            json.WriteString("type", CosignFormats.SimpleSigningType);
            json.WriteEndObject();
            if (optional is { Count: > 0 })
            {
                json.WriteStartObject("optional");
                foreach (var (key, value) in optional.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("optional");
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads the claimed digest and reference; <see langword="false"/> with a reason when the payload is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out Digest digest, out string? dockerReference, out string? error)
    {
        digest = default;
        dockerReference = null;
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            if (!document.RootElement.TryGetProperty("critical", out var critical) || critical.ValueKind != JsonValueKind.Object)
            {
                error = "the payload has no 'critical' object";
                return false;
            }

            var type = critical.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type is not (CosignFormats.SimpleSigningType or "atomic container signature"))
            {
                error = $"the payload type is '{type}', not '{CosignFormats.SimpleSigningType}'";
                return false;
            }

            if (critical.TryGetProperty("identity", out var identity) && identity.ValueKind == JsonValueKind.Object
                && identity.TryGetProperty("docker-reference", out var r) && r.ValueKind == JsonValueKind.String)
            {
                dockerReference = r.GetString();
            }

            var text = critical.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.Object
                && image.TryGetProperty("docker-manifest-digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (!Digest.TryParse(text, out digest))
            {
                error = "the payload has no valid critical.image.docker-manifest-digest";
                return false;
            }

            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"the payload is not valid JSON ({e.Message})";
            return false;
        }
    }

    /// <summary>DSSE pre-authentication encoding: <c>DSSEv1 &lt;len&gt; &lt;type&gt; &lt;len&gt; &lt;body&gt;</c> with byte lengths.</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes($"DSSEv1 {type.Length} ");
        var middle = Encoding.ASCII.GetBytes($" {payload.Length} ");
        var result = new byte[header.Length + type.Length + middle.Length + payload.Length];
        header.CopyTo(result, 0);
        type.CopyTo(result, header.Length);
        middle.CopyTo(result, header.Length + type.Length);
        payload.CopyTo(result.AsSpan(header.Length + type.Length + middle.Length));
        return result;
    }
}
