using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>Reads list bodies and watch lines item by item with the caller's <see cref="JsonTypeInfo{T}"/>.</summary>
internal static class KubernetesJson
{
    public static (V1ListMeta Metadata, List<T> Items, List<UndecodableObject> Undecodable) ParseList<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var reader = new Utf8JsonReader(json);
        V1ListMeta? meta = null;
        var items = new List<T>();
        var undecodable = new List<UndecodableObject>();
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                meta = JsonSerializer.Deserialize(ref reader, KubernetesJsonContext.Default.V1ListMeta);
            }
            else if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("'items' is not an array.");
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var end = (int)reader.BytesConsumed;
                    var slice = json[start..end];
                    var (item, itemMeta, error) = ParseItem(slice, typeInfo);
                    if (item is not null)
                    {
                        items.Add(item);
                    }
                    else
                    {
                        undecodable.Add(new UndecodableObject(itemMeta, error!));
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (meta ?? new V1ListMeta(), items, undecodable);
    }

    /// <summary>
    /// Decodes one object leniently: unknown fields are ignored, and an object that does not fit
    /// <typeparamref name="T"/> comes back as null with the reason and the metadata that could be read.
    /// </summary>
    public static (T? Item, V1ObjectMeta Metadata, string? Error) ParseItem<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            var item = JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException("The object is null.");
            item.Metadata ??= new V1ObjectMeta();
            return (item, item.Metadata, null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            V1ObjectMeta meta;
            try
            {
                meta = ParseMetadata(json);
            }
            catch (JsonException)
            {
                meta = new V1ObjectMeta();
            }

            return (null, meta, Describe(ex));
        }
    }

    /// <summary>Why an object did not decode, starting with the field path when the serializer knows it (<c>spec.ports[0]: …</c>).</summary>
    private static string Describe(Exception ex)
    {
        if (ex is not JsonException { Path: { Length: > 1 } path } || ex.Message.Contains(" Path: ", StringComparison.Ordinal))
        {
            return ex.Message;
        }

        var field = path.TrimStart('$').TrimStart('.');
        return ex.Message.StartsWith('[') ? field + ex.Message : $"{field}: {ex.Message}";
    }

    /// <summary>The <c>metadata</c> of a serialized object.</summary>
    public static V1ObjectMeta ParseMetadata(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                return JsonSerializer.Deserialize(ref reader, KubernetesJsonContext.Default.V1ObjectMeta) ?? new V1ObjectMeta();
            }

            reader.Read();
            reader.Skip();
        }

        return new V1ObjectMeta();
    }

    /// <summary>Splits a watch line into its type and the byte range of its object.</summary>
    public static (string? Type, int Start, int End) ParseWatchLine(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        Expect(ref reader, JsonTokenType.StartObject);
        string? type = null;
        int start = -1, end = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                start = (int)reader.TokenStartIndex;
                reader.Skip();
                end = (int)reader.BytesConsumed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (type, start, end);
    }

    /// <summary>
    /// Serializes an object for a write and reads back its metadata; fills <c>apiVersion</c> and <c>kind</c> from the
    /// resource type when the object has none, and strips server-owned metadata when <paramref name="forApply"/>.
    /// </summary>
    public static (byte[] Body, V1ObjectMeta Metadata) SerializeForWrite<T>(T item, JsonTypeInfo<T> typeInfo, KubernetesResourceType resourceType, bool forApply)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(item, typeInfo);
        var meta = ParseMetadata(bytes);
        var hasApiVersion = false;
        var hasKind = false;
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("apiVersion"u8))
            {
                reader.Read();
                hasApiVersion = reader.TokenType == JsonTokenType.String;
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                hasKind = reader.TokenType == JsonTokenType.String;
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        // managedFields are never sent back: on update a server would take them as a request to reset field ownership.
        var strip = meta.ManagedFields is not null || (forApply && (meta.CreationTimestamp is not null || meta.Uid is not null));
        if (hasApiVersion && hasKind && !strip)
        {
            return (bytes, meta);
        }

        var node = JsonNode.Parse(bytes)!.AsObject();
        if (!hasApiVersion)
        {
            node["apiVersion"] = resourceType.ApiVersion;
        }

        if (!hasKind)
        {
            node["kind"] = resourceType.Kind;
        }

        if (strip && node["metadata"] is JsonObject metadata)
        {
            metadata.Remove("managedFields");
            if (forApply)
            {
                metadata.Remove("creationTimestamp");
                metadata.Remove("uid");
            }
        }

        var buffer = new ArrayBufferWriter<byte>(bytes.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return (buffer.WrittenSpan.ToArray(), meta);
    }

    /// <summary>True when a JSON body is a <c>Status</c> object.</summary>
    public static bool IsStatus(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("Status"u8);
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} at the start of the document.");
        }
    }
}
