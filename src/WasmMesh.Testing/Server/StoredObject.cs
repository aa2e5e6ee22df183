using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WasmMesh.Testing.Server;

/// <summary>An object as stored: its serialized JSON plus the fields the store indexes.</summary>
internal sealed class StoredObject
{
    private StoredObject(byte[] json, string ns, string name, string uid, long resourceVersion, string apiVersion)
    {
        Json = json;
        Namespace = ns;
        Name = name;
        Uid = uid;
        ResourceVersion = resourceVersion;
        ApiVersion = apiVersion;
    }

    public byte[] Json { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string Key => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";

    public string Uid { get; }

    public long ResourceVersion { get; }

    public string ApiVersion { get; }

    public Dictionary<string, string>? Labels { get; private init; }

    public IReadOnlyList<string> OwnerUids { get; private init; } = [];

    public bool Deleting { get; private init; }

    public JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();

    public static StoredObject From(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        Dictionary<string, string>? labels = null;
        if (metadata["labels"] is JsonObject l && l.Count > 0)
        {
            labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in l)
            {
                labels[k] = v?.ToString() ?? string.Empty;
            }
        }

        var owners = (metadata["ownerReferences"] as JsonArray)?.OfType<JsonObject>().Select(o => o["uid"]?.ToString()).Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).ToList() ?? [];
        return new StoredObject(
            Serialize(obj),
            metadata["namespace"]?.ToString() ?? string.Empty,
            metadata["name"]?.ToString() ?? string.Empty,
            metadata["uid"]?.ToString() ?? string.Empty,
            long.TryParse(metadata["resourceVersion"]?.ToString(), out var rv) ? rv : 0,
            obj["apiVersion"]?.ToString() ?? string.Empty)
        {
            Labels = labels,
            OwnerUids = owners,
            Deleting = metadata["deletionTimestamp"] is not null,
        };
    }

    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>One change in the store's history.</summary>
internal sealed record ChangeRecord(long ResourceVersion, StorageKey Key, string Type, StoredObject Object, StoredObject? Old);
