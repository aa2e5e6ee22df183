using System.Text.Json.Nodes;

namespace WasmMesh.Testing.Server;

/// <summary>
/// Server-side apply field ownership in <c>metadata.managedFields</c> (<c>FieldsV1</c>). Objects merge field by
/// field; lists are atomic (as for CRDs with <c>x-kubernetes-preserve-unknown-fields</c>).
/// </summary>
internal static class ManagedFields
{
    private static readonly HashSet<string> ServerMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink",
    ];

    internal sealed class Entry
    {
        public required string Manager { get; init; }

        public required string Operation { get; init; }

        public string? Subresource { get; init; }

        public string ApiVersion { get; set; } = string.Empty;

        public string Time { get; set; } = string.Empty;

        public HashSet<string> Fields { get; } = new(StringComparer.Ordinal);
    }

    public static List<Entry> Read(JsonObject obj)
    {
        var result = new List<Entry>();
        if (obj["metadata"]?["managedFields"] is not JsonArray array)
        {
            return result;
        }

        foreach (var item in array.OfType<JsonObject>())
        {
            var entry = new Entry
            {
                Manager = item["manager"]?.ToString() ?? string.Empty,
                Operation = item["operation"]?.ToString() ?? "Update",
                Subresource = item["subresource"]?.ToString(),
                ApiVersion = item["apiVersion"]?.ToString() ?? string.Empty,
                Time = item["time"]?.ToString() ?? string.Empty,
            };
            if (item["fieldsV1"] is JsonObject tree)
            {
                CollectTree(tree, string.Empty, entry.Fields);
            }

            result.Add(entry);
        }

        return result;
    }

    public static void Write(JsonObject obj, List<Entry> entries)
    {
        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = metadata;
        var array = new JsonArray();
        foreach (var e in entries.Where(e => e.Fields.Count > 0))
        {
            var item = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = BuildTree(e.Fields),
            };
            if (e.Subresource is not null)
            {
                item["subresource"] = e.Subresource;
            }

            array.Add(item);
        }

        if (array.Count > 0)
        {
            metadata["managedFields"] = array;
        }
        else
        {
            metadata.Remove("managedFields");
        }
    }

    /// <summary>Records an update (create, replace, patch): the manager takes the changed fields from everyone else.</summary>
    public static void RecordUpdate(List<Entry> entries, string manager, string apiVersion, string time, JsonObject? oldObj, JsonObject newObj, string? subresource)
    {
        var newLeaves = Leaves(newObj);
        var oldLeaves = oldObj is null ? new HashSet<string>(StringComparer.Ordinal) : Leaves(oldObj);
        var changed = newLeaves.Where(p => oldObj is null || !JsonNode.DeepEquals(Get(oldObj, p), Get(newObj, p))).ToHashSet(StringComparer.Ordinal);
        var removed = oldLeaves.Where(p => !newLeaves.Contains(p)).ToHashSet(StringComparer.Ordinal);
        if (changed.Count == 0 && removed.Count == 0)
        {
            return;
        }

        foreach (var e in entries)
        {
            e.Fields.RemoveWhere(p => removed.Contains(p) || Overlaps(p, changed));
        }

        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update" && e.Subresource == subresource);
        if (mine is null)
        {
            mine = new Entry { Manager = manager, Operation = "Update", Subresource = subresource };
            entries.Add(mine);
        }

        mine.ApiVersion = apiVersion;
        mine.Time = time;
        foreach (var p in changed)
        {
            mine.Fields.Add(p);
        }

        entries.RemoveAll(e => e.Fields.Count == 0);
    }

    /// <summary>Applies a configuration for a manager; returns the merged object or throws a conflict.</summary>
    public static JsonObject Apply(List<Entry> entries, string manager, string apiVersion, string time, JsonObject current, JsonObject config, bool force, string? subresource, Func<string, bool> fieldFilter)
    {
        var configPaths = Leaves(config).Where(fieldFilter).ToHashSet(StringComparer.Ordinal);
        var conflicts = new List<(string Manager, string ApiVersion, string Path)>();
        var merged = MergeInto(current, config, configPaths);
        foreach (var e in entries.Where(e => e.Manager != manager))
        {
            foreach (var owned in e.Fields)
            {
                foreach (var p in configPaths)
                {
                    if ((owned == p || IsPrefix(owned, p) || IsPrefix(p, owned)) && !JsonNode.DeepEquals(Get(current, owned), Get(merged, owned)))
                    {
                        conflicts.Add((e.Manager, e.ApiVersion, owned));
                        break;
                    }
                }
            }
        }

        conflicts = conflicts.Distinct().ToList();
        if (conflicts.Count > 0 && !force)
        {
            var causes = new JsonArray();
            foreach (var (m, v, p) in conflicts)
            {
                causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with \"{m}\" using {v}", ["field"] = Display(p) });
            }

            var text = conflicts.Count == 1
                ? $"Apply failed with 1 conflict: conflict with \"{conflicts[0].Manager}\" using {conflicts[0].ApiVersion}: {Display(conflicts[0].Path)}"
                : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", conflicts.Select(c => $"conflict with \"{c.Manager}\" using {c.ApiVersion}: {Display(c.Path)}"));
            throw new ApiError(409, "Conflict", text, new JsonObject { ["causes"] = causes });
        }

        foreach (var (m, _, p) in conflicts)
        {
            foreach (var e in entries.Where(e => e.Manager == m))
            {
                e.Fields.Remove(p);
            }
        }

        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply" && e.Subresource == subresource);
        var result = merged;
        if (mine is not null)
        {
            foreach (var p in mine.Fields.Where(p => !configPaths.Contains(p) && !configPaths.Any(c => IsPrefix(p, c))))
            {
                var ownedByOthers = entries.Any(e => e != mine && e.Fields.Any(o => o == p || IsPrefix(o, p) || IsPrefix(p, o)));
                if (!ownedByOthers)
                {
                    Remove(result, p);
                }
            }
        }
        else
        {
            mine = new Entry { Manager = manager, Operation = "Apply", Subresource = subresource };
            entries.Add(mine);
        }

        mine.Fields.Clear();
        foreach (var p in configPaths)
        {
            mine.Fields.Add(p);
        }

        mine.ApiVersion = apiVersion;
        mine.Time = time;
        entries.RemoveAll(e => e.Fields.Count == 0);
        return result;
    }

    public static HashSet<string> Leaves(JsonObject obj)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (mk, mv) in metadata)
                {
                    if (!ServerMetadata.Contains(mk))
                    {
                        Collect(mv, "metadata/" + Escape(mk), set);
                    }
                }

                continue;
            }

            Collect(value, Escape(key), set);
        }

        return set;
    }

    public static bool IsPrefix(string prefix, string path) => path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.Ordinal) && path[prefix.Length] == '/';

    private static bool Overlaps(string owned, HashSet<string> changed) =>
        changed.Contains(owned) || changed.Any(c => IsPrefix(owned, c) || IsPrefix(c, owned));

    private static JsonObject MergeInto(JsonObject current, JsonObject config, HashSet<string> paths)
    {
        var result = (JsonObject)current.DeepClone();
        foreach (var p in paths)
        {
            Set(result, p, Get(config, p)?.DeepClone());
        }

        return result;
    }

    private static void Collect(JsonNode? node, string path, HashSet<string> set)
    {
        if (node is JsonObject o && o.Count > 0)
        {
            foreach (var (k, v) in o)
            {
                Collect(v, path + "/" + Escape(k), set);
            }
        }
        else
        {
            set.Add(path);
        }
    }

    private static void CollectTree(JsonObject tree, string path, HashSet<string> set)
    {
        var children = tree.Where(kv => kv.Key.StartsWith("f:", StringComparison.Ordinal)).ToList();
        if (children.Count == 0)
        {
            if (path.Length > 0)
            {
                set.Add(path);
            }

            return;
        }

        foreach (var (k, v) in children)
        {
            var child = (path.Length == 0 ? string.Empty : path + "/") + Escape(k[2..]);
            if (v is JsonObject o)
            {
                CollectTree(o, child, set);
            }
            else
            {
                set.Add(child);
            }
        }
    }

    private static JsonObject BuildTree(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var p in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var segment in Split(p))
            {
                var key = "f:" + segment;
                if (node[key] is not JsonObject next)
                {
                    next = new JsonObject();
                    node[key] = next;
                }

                node = next;
            }
        }

        return root;
    }

    public static JsonNode? Get(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in Split(path))
        {
            node = node is JsonObject o ? o[segment] : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static void Set(JsonObject obj, string path, JsonNode? value)
    {
        var segments = Split(path).ToList();
        var node = obj;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            if (node[segments[i]] is not JsonObject next)
            {
                next = new JsonObject();
                node[segments[i]] = next;
            }

            node = next;
        }

        if (value is null)
        {
            node.Remove(segments[^1]);
        }
        else
        {
            node[segments[^1]] = value;
        }
    }

    private static void Remove(JsonObject obj, string path)
    {
        var segments = Split(path).ToList();
        var chain = new List<JsonObject> { obj };
        var node = obj;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            if (node[segments[i]] is not JsonObject next)
            {
                return;
            }

            chain.Add(next);
            node = next;
        }

        node.Remove(segments[^1]);
        for (var i = chain.Count - 1; i > 0; i--)
        {
            if (chain[i].Count == 0)
            {
                chain[i - 1].Remove(segments[i - 1]);
            }
        }
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Display(string path) => "." + string.Join('.', Split(path));
}
