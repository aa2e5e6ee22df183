using System.Text;
using System.Text.Json.Nodes;

namespace WasmMesh.Testing.Server;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (<c>k8s\0</c> + runtime.Unknown) for the core kinds kubectl creates
/// with typed clients (<c>kubectl create secret|configmap|namespace</c>) into JSON.
/// </summary>
internal static class ProtobufDecoder
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || !body.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw ApiError.BadRequest("the protobuf body does not start with the k8s envelope");
        }

        string apiVersion = string.Empty, kind = string.Empty;
        byte[]? raw = null;
        foreach (var (field, _, value, bytes) in Fields(body.AsMemory(4)))
        {
            switch (field)
            {
                case 1:
                    foreach (var (f, _, _, b) in Fields(bytes))
                    {
                        if (f == 1)
                        {
                            apiVersion = Str(b);
                        }
                        else if (f == 2)
                        {
                            kind = Str(b);
                        }
                    }

                    break;
                case 2:
                    raw = bytes.ToArray();
                    break;
            }

            _ = value;
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        if (raw is null)
        {
            return obj;
        }

        foreach (var (field, _, value, bytes) in Fields(raw))
        {
            switch (kind, field)
            {
                case (_, 1):
                    obj["metadata"] = Meta(bytes);
                    break;
                case ("Secret", 2):
                    AddMapEntry(obj, "data", bytes, base64: true);
                    break;
                case ("Secret", 3):
                    SetString(obj, "type", bytes);
                    break;
                case ("Secret", 4):
                    AddMapEntry(obj, "stringData", bytes, base64: false);
                    break;
                case ("Secret", 5):
                    obj["immutable"] = value != 0;
                    break;
                case ("ConfigMap", 2):
                    AddMapEntry(obj, "data", bytes, base64: false);
                    break;
                case ("ConfigMap", 3):
                    AddMapEntry(obj, "binaryData", bytes, base64: true);
                    break;
                case ("ConfigMap", 4):
                    obj["immutable"] = value != 0;
                    break;
                case ("Namespace", 2):
                    var finalizers = new JsonArray();
                    foreach (var (f, _, _, b) in Fields(bytes))
                    {
                        if (f == 1)
                        {
                            finalizers.Add(Str(b));
                        }
                    }

                    obj["spec"] = new JsonObject { ["finalizers"] = finalizers };
                    break;
                case ("Namespace", 3):
                    break;
                default:
                    throw new ApiError(415, "UnsupportedMediaType", $"the test server decodes protobuf only for the basic fields of Secret, ConfigMap and Namespace (got {kind} field {field}); send JSON instead");
            }
        }

        return obj;
    }

    private static JsonObject Meta(ReadOnlyMemory<byte> bytes)
    {
        var meta = new JsonObject();
        foreach (var (field, _, value, b) in Fields(bytes))
        {
            switch (field)
            {
                case 1:
                    SetString(meta, "name", b);
                    break;
                case 2:
                    SetString(meta, "generateName", b);
                    break;
                case 3:
                    SetString(meta, "namespace", b);
                    break;
                case 5:
                    SetString(meta, "uid", b);
                    break;
                case 6:
                    SetString(meta, "resourceVersion", b);
                    break;
                case 11:
                    AddMapEntry(meta, "labels", b, base64: false);
                    break;
                case 12:
                    AddMapEntry(meta, "annotations", b, base64: false);
                    break;
                case 13:
                    var owners = meta["ownerReferences"] as JsonArray ?? [];
                    var owner = new JsonObject();
                    foreach (var (f, _, v, ob) in Fields(b))
                    {
                        switch (f)
                        {
                            case 1: owner["kind"] = Str(ob); break;
                            case 3: owner["name"] = Str(ob); break;
                            case 4: owner["uid"] = Str(ob); break;
                            case 5: owner["apiVersion"] = Str(ob); break;
                            case 6: owner["controller"] = v != 0; break;
                            case 7: owner["blockOwnerDeletion"] = v != 0; break;
                        }
                    }

                    owners.Add(owner);
                    meta["ownerReferences"] = owners;
                    break;
                case 14:
                    var finalizers = meta["finalizers"] as JsonArray ?? [];
                    finalizers.Add(Str(b));
                    meta["finalizers"] = finalizers;
                    break;
            }

            _ = value;
        }

        return meta;
    }

    private static void AddMapEntry(JsonObject target, string property, ReadOnlyMemory<byte> entry, bool base64)
    {
        string key = string.Empty;
        string value = string.Empty;
        foreach (var (f, _, _, b) in Fields(entry))
        {
            if (f == 1)
            {
                key = Str(b);
            }
            else if (f == 2)
            {
                value = base64 ? Convert.ToBase64String(b.Span) : Str(b);
            }
        }

        var map = target[property] as JsonObject ?? new JsonObject();
        map[key] = value;
        target[property] = map;
    }

    private static void SetString(JsonObject target, string property, ReadOnlyMemory<byte> b)
    {
        if (b.Length > 0)
        {
            target[property] = Str(b);
        }
    }

    private static string Str(ReadOnlyMemory<byte> b) => Encoding.UTF8.GetString(b.Span);

    private static List<(int Field, int WireType, ulong Value, ReadOnlyMemory<byte> Bytes)> Fields(ReadOnlyMemory<byte> data)
    {
        var result = new List<(int, int, ulong, ReadOnlyMemory<byte>)>();
        var span = data.Span;
        var i = 0;
        while (i < span.Length)
        {
            var tag = Varint(span, ref i);
            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            switch (wire)
            {
                case 0:
                    result.Add((field, wire, Varint(span, ref i), ReadOnlyMemory<byte>.Empty));
                    break;
                case 1:
                    i += 8;
                    break;
                case 2:
                    var length = (int)Varint(span, ref i);
                    if (length < 0 || i + length > span.Length)
                    {
                        throw ApiError.BadRequest("truncated protobuf body");
                    }

                    result.Add((field, wire, 0, data.Slice(i, length)));
                    i += length;
                    break;
                case 5:
                    i += 4;
                    break;
                default:
                    throw ApiError.BadRequest($"unsupported protobuf wire type {wire}");
            }
        }

        return result;
    }

    private static ulong Varint(ReadOnlySpan<byte> span, ref int i)
    {
        ulong value = 0;
        var shift = 0;
        while (i < span.Length)
        {
            var b = span[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }

            shift += 7;
            if (shift > 63)
            {
                break;
            }
        }

        throw ApiError.BadRequest("invalid protobuf varint");
    }
}
