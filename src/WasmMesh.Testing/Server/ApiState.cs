using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WasmMesh.Testing.Server;

/// <summary>
/// The API server's state and semantics: storage by resource, a global resource version, change history for
/// watches, field ownership, status subresources, generation, finalizers, namespace termination and owner
/// garbage collection. Every operation runs under one lock.
/// </summary>
internal sealed partial class ApiState
{
    private static readonly StorageKey NamespacesKey = new(string.Empty, "namespaces");
    private static readonly StorageKey CrdKey = new("apiextensions.k8s.io", "customresourcedefinitions");
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly int _historyLimit;
    private readonly Dictionary<string, ResourceDefinition> _served = new(StringComparer.Ordinal);
    private readonly Dictionary<StorageKey, SortedDictionary<string, StoredObject>> _objects = [];
    private readonly Dictionary<string, (StorageKey Key, string ObjectKey)> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(StorageKey Key, string ObjectKey)>> _dependents = new(StringComparer.Ordinal);
    private readonly Queue<ChangeRecord> _history = new();
    private readonly List<Watcher> _watchers = [];
    private long _resourceVersion;
    private long _compactedVersion;

    public ApiState(TimeProvider time, int historyLimit)
    {
        _time = time;
        _historyLimit = Math.Max(1, historyLimit);
        foreach (var def in ResourceDefinition.BuiltIns)
        {
            Serve(def);
        }

        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Create(Find(string.Empty, "v1", "namespaces")!, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, "kube-apiserver", dryRun: false);
        }
    }

    /// <summary>Raised (under the lock) after every change; used for persistence.</summary>
    public event Action? Changed;

    public long CurrentResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    public ResourceDefinition? Find(string group, string version, string plural)
    {
        lock (_lock)
        {
            return _served.GetValueOrDefault($"{group}/{version}/{plural}");
        }
    }

    public List<ResourceDefinition> Definitions()
    {
        lock (_lock)
        {
            return _served.Values.ToList();
        }
    }

    public StoredObject Get(ResourceDefinition def, string? ns, string name)
    {
        lock (_lock)
        {
            return Lookup(def.Key, ns, name) ?? throw ApiError.NotFound(def, name);
        }
    }

    public (long ResourceVersion, List<StoredObject> Items, string? Continue, long? Remaining) List(ResourceDefinition def, string? ns, LabelSelector? labels, FieldSelector? fields, int? limit, string? continueToken)
    {
        lock (_lock)
        {
            var listVersion = _resourceVersion;
            string? after = null;
            if (!string.IsNullOrEmpty(continueToken))
            {
                (listVersion, after) = DecodeContinue(continueToken);
                if (listVersion < _compactedVersion)
                {
                    throw ApiError.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                }
            }

            var items = new List<StoredObject>();
            if (!_objects.TryGetValue(def.Key, out var store))
            {
                return (listVersion, items, null, null);
            }

            var prefix = def.Namespaced && ns is not null ? ns + "/" : null;
            long matchedAfterLimit = 0;
            string? next = null;
            foreach (var (key, o) in store)
            {
                if (after is not null && string.CompareOrdinal(key, after) <= 0)
                {
                    continue;
                }

                if (prefix is not null && !key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if ((labels is not null && !labels.Matches(o.Labels)) || (fields is not null && !fields.Matches(o.Namespace, o.Name, o.Parse)))
                {
                    continue;
                }

                if (limit is > 0 && items.Count >= limit)
                {
                    matchedAfterLimit++;
                    continue;
                }

                items.Add(o);
            }

            if (matchedAfterLimit > 0)
            {
                next = EncodeContinue(listVersion, items[^1].Key);
            }

            return (listVersion, items, next, next is null ? null : matchedAfterLimit);
        }
    }

    public StoredObject Create(ResourceDefinition def, string? ns, JsonObject body, string manager, bool dryRun, Admission? admission = null)
    {
        lock (_lock)
        {
            var (obj, crdDefinitions) = PrepareCreate(def, ns, body, admission);
            var entries = new List<ManagedFields.Entry>();
            ManagedFields.RecordUpdate(entries, manager, def.ApiVersion, Now(), null, obj, null);
            ManagedFields.Write(obj, entries);
            return CommitCreate(def, obj, crdDefinitions, dryRun);
        }
    }

    public StoredObject Replace(ResourceDefinition def, string? ns, string name, JsonObject body, bool statusEndpoint, string manager, bool dryRun, Admission? admission = null)
    {
        lock (_lock)
        {
            var old = Lookup(def.Key, ns, name) ?? throw ApiError.NotFound(def, name);
            CheckTypeMeta(def, body);
            var bodyName = body["metadata"]?["name"]?.ToString();
            if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
            {
                throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            CheckVersion(def, old, body["metadata"]?["resourceVersion"]?.ToString());
            body = (JsonObject)body.DeepClone();
            Prune(def, body, admission);
            return CommitUpdate(def, old, body, statusEndpoint, manager, null, dryRun);
        }
    }

    public StoredObject Patch(ResourceDefinition def, string? ns, string name, string mediaType, string patchText, bool statusEndpoint, string? manager, bool force, bool dryRun, Admission? admission = null)
    {
        lock (_lock)
        {
            var old = Lookup(def.Key, ns, name);
            if (mediaType == "application/apply-patch+yaml" || mediaType == "application/apply-patch+json")
            {
                return ApplyPatch(def, ns, name, old, patchText, statusEndpoint, manager, force, dryRun, admission);
            }

            if (old is null)
            {
                throw ApiError.NotFound(def, name);
            }

            if (def.IsCustom && mediaType == "application/strategic-merge-patch+json")
            {
                // As a real API server: custom resources have no strategic-merge schema.
                throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (strategic merge patch is not supported for custom resource {def.Plural}.{def.Group})");
            }

            var current = old.Parse();
            var patch = ParseJson(patchText);
            JsonNode? patched = mediaType switch
            {
                "application/merge-patch+json" => Patches.MergePatch(current, patch),
                "application/strategic-merge-patch+json" => Patches.MergePatch(current, Patches.StripStrategicDirectives(patch)),
                "application/json-patch+json" => patch is JsonArray ops ? Patches.JsonPatch(current, ops) : throw ApiError.BadRequest("a JSON patch must be an array of operations"),
                _ => throw ApiError.UnsupportedMediaType(mediaType),
            };
            if (patched is not JsonObject result)
            {
                throw new ApiError(422, "Invalid", "the patch did not produce an object");
            }

            CheckTypeMeta(def, result);
            if (result["metadata"]?["name"]?.ToString() != name)
            {
                throw ApiError.BadRequest("the patch must not change metadata.name");
            }

            CheckVersion(def, old, result["metadata"]?["resourceVersion"]?.ToString());
            Prune(def, result, admission);
            return CommitUpdate(def, old, result, statusEndpoint, manager ?? "unknown", null, dryRun);
        }
    }

    public (StoredObject Object, bool Removed) Delete(ResourceDefinition def, string? ns, string name, string? propagationPolicy, string? preconditionUid, string? preconditionVersion, bool dryRun)
    {
        lock (_lock)
        {
            var old = Lookup(def.Key, ns, name) ?? throw ApiError.NotFound(def, name);
            if (!string.IsNullOrEmpty(preconditionUid) && preconditionUid != old.Uid)
            {
                throw ApiError.Conflict(def, name, $"Precondition failed: UID in precondition: {preconditionUid}, UID in object meta: {old.Uid}");
            }

            if (!string.IsNullOrEmpty(preconditionVersion) && preconditionVersion != old.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiError.Conflict(def, name, $"Precondition failed: ResourceVersion in precondition: {preconditionVersion}, ResourceVersion in object meta: {old.ResourceVersion}");
            }

            if (dryRun)
            {
                return (old, false);
            }

            var result = DeleteObject(def.Key, old, propagationPolicy);
            var removed = Lookup(def.Key, ns, name) is null;
            return (result, removed);
        }
    }

    public List<StoredObject> DeleteCollection(ResourceDefinition def, string? ns, LabelSelector? labels, FieldSelector? fields, string? propagationPolicy)
    {
        lock (_lock)
        {
            var (_, items, _, _) = List(def, ns, labels, fields, null, null);
            var result = new List<StoredObject>();
            foreach (var item in items)
            {
                if (Lookup(def.Key, item.Namespace, item.Name) is { } current)
                {
                    result.Add(DeleteObject(def.Key, current, propagationPolicy));
                }
            }

            return result;
        }
    }

    /// <summary>Opens a watch; returns the watcher and whether the resource version is too old (410).</summary>
    public (Watcher? Watcher, string? GoneMessage) Watch(ResourceDefinition def, string? ns, LabelSelector? labels, FieldSelector? fields, string? resourceVersion)
    {
        lock (_lock)
        {
            var watcher = new Watcher(def, def.Namespaced ? ns : null, labels, fields);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                if (_objects.TryGetValue(def.Key, out var store))
                {
                    foreach (var o in store.Values)
                    {
                        if (watcher.Matches(o))
                        {
                            watcher.Enqueue("ADDED", o);
                        }
                    }
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiError.BadRequest($"invalid resource version \"{resourceVersion}\"");
                }

                if (from < _compactedVersion)
                {
                    return (null, $"too old resource version: {from} ({_compactedVersion + 1})");
                }

                foreach (var change in _history)
                {
                    if (change.ResourceVersion > from)
                    {
                        watcher.Offer(change);
                    }
                }
            }

            _watchers.Add(watcher);
            return (watcher, null);
        }
    }

    /// <summary>The resource version a bookmark may carry now, or null while events are still queued for the watcher.</summary>
    public long? BookmarkVersion(Watcher watcher)
    {
        lock (_lock)
        {
            return watcher.Pending > 0 ? null : _resourceVersion;
        }
    }

    public void StopWatch(Watcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }

        watcher.Events.Writer.TryComplete();
    }

    /// <summary>Ends every open watch stream (clients see the connection close).</summary>
    public void DropWatches()
    {
        lock (_lock)
        {
            foreach (var w in _watchers)
            {
                w.Events.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Forgets the change history: watches from any older resource version get 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _compactedVersion = _resourceVersion;
        }
    }

    public (long ResourceVersion, List<(StorageKey Key, byte[] Json)> Objects) Snapshot()
    {
        lock (_lock)
        {
            var objects = new List<(StorageKey, byte[])>();
            foreach (var (key, store) in _objects.OrderBy(kv => kv.Key == CrdKey ? 0 : 1))
            {
                foreach (var o in store.Values)
                {
                    objects.Add((key, o.Json));
                }
            }

            return (_resourceVersion, objects);
        }
    }

    public void Restore(long resourceVersion, IEnumerable<(StorageKey Key, JsonObject Object)> objects)
    {
        lock (_lock)
        {
            _objects.Clear();
            _byUid.Clear();
            _dependents.Clear();
            _history.Clear();
            foreach (var (key, obj) in objects)
            {
                if (key == CrdKey)
                {
                    foreach (var def in ResourceDefinition.FromCrd(obj))
                    {
                        Serve(def);
                    }
                }

                Store(key, StoredObject.From(obj));
            }

            _resourceVersion = Math.Max(resourceVersion, _resourceVersion);
            _compactedVersion = _resourceVersion;
        }
    }

    private StoredObject ApplyPatch(ResourceDefinition def, string? ns, string name, StoredObject? old, string text, bool statusEndpoint, string? manager, bool force, bool dryRun, Admission? admission)
    {
        if (string.IsNullOrEmpty(manager))
        {
            throw ApiError.BadRequest("PATCH requests with an apply patch must set the fieldManager query parameter");
        }

        var docs = text.TrimStart().StartsWith('{') ? [ParseJson(text)] : YamlDocuments.Parse(text);
        if (docs.Count != 1 || docs[0] is not JsonObject config)
        {
            throw ApiError.BadRequest("an apply patch must be exactly one object");
        }

        if (string.IsNullOrEmpty(config["apiVersion"]?.ToString()) || string.IsNullOrEmpty(config["kind"]?.ToString()))
        {
            throw new ApiError(422, "Invalid", "apiVersion and kind must be set in an apply configuration");
        }

        CheckTypeMeta(def, config);
        Prune(def, config, admission);
        var configName = config["metadata"]?["name"]?.ToString();
        if (configName != name)
        {
            throw ApiError.BadRequest($"the name of the object ({configName}) does not match the name on the URL ({name})");
        }

        var statusPrefix = "status";
        bool Filter(string p) =>
            statusEndpoint
                ? p == statusPrefix || p.StartsWith(statusPrefix + "/", StringComparison.Ordinal)
                : !(def.HasStatus && (p == statusPrefix || p.StartsWith(statusPrefix + "/", StringComparison.Ordinal)));

        if (old is null)
        {
            if (statusEndpoint)
            {
                throw ApiError.NotFound(def, name);
            }

            var baseObject = new JsonObject
            {
                ["apiVersion"] = config["apiVersion"]!.ToString(),
                ["kind"] = config["kind"]!.ToString(),
                ["metadata"] = new JsonObject { ["name"] = name },
            };
            var entries = new List<ManagedFields.Entry>();
            var merged = ManagedFields.Apply(entries, manager, def.ApiVersion, Now(), baseObject, config, force, null, Filter);
            var (obj, crdDefinitions) = PrepareCreate(def, ns, merged, admission);
            ManagedFields.Write(obj, entries);
            return CommitCreate(def, obj, crdDefinitions, dryRun);
        }

        CheckVersion(def, old, config["metadata"]?["resourceVersion"]?.ToString());
        var current = old.Parse();
        var existing = ManagedFields.Read(current);
        var result = ManagedFields.Apply(existing, manager, def.ApiVersion, Now(), current, config, force, statusEndpoint ? "status" : null, Filter);
        return CommitUpdate(def, old, result, statusEndpoint, manager, existing, dryRun);
    }

    private (JsonObject Object, List<ResourceDefinition>? Crd) PrepareCreate(ResourceDefinition def, string? ns, JsonObject body, Admission? admission)
    {
        var obj = (JsonObject)body.DeepClone();
        CheckTypeMeta(def, obj);
        Prune(def, obj, admission);
        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = metadata;
        var name = metadata["name"]?.ToString();
        if (def.Namespaced)
        {
            var bodyNs = metadata["namespace"]?.ToString();
            if (string.IsNullOrEmpty(ns))
            {
                throw ApiError.BadRequest($"{def.GroupResource} is namespaced: create it under /namespaces/<namespace>/{def.Plural}");
            }

            if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            {
                throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
            var nsObj = Lookup(NamespacesKey, null, ns);
            if (nsObj is null)
            {
                throw ApiError.NotFound(Find(string.Empty, "v1", "namespaces")!, ns);
            }

            if (nsObj.Deleting)
            {
                throw new ApiError(403, "Forbidden", $"{def.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
            }
        }
        else
        {
            metadata.Remove("namespace");
        }

        if (string.IsNullOrEmpty(name))
        {
            var generate = metadata["generateName"]?.ToString();
            if (string.IsNullOrEmpty(generate))
            {
                throw ApiError.Invalid(def, string.Empty, "metadata.name", "name or generateName is required");
            }

            do
            {
                name = generate + RandomSuffix();
            }
            while (Lookup(def.Key, ns, name) is not null);
            metadata["name"] = name;
        }

        var nameOk = def.Key == NamespacesKey ? DnsLabel().IsMatch(name) : name.Length <= 253 && DnsSubdomain().IsMatch(name);
        if (!nameOk && def.Plural != "events")
        {
            throw ApiError.Invalid(def, name, "metadata.name", $"\"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }

        if (Lookup(def.Key, ns, name) is not null)
        {
            throw ApiError.AlreadyExists(def, name);
        }

        foreach (var key in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "resourceVersion", "selfLink" })
        {
            metadata.Remove(key);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        if (def.TracksGeneration)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (def.IsCustom && def.HasStatus)
        {
            obj.Remove("status");
        }

        List<ResourceDefinition>? crd = null;
        switch (def.Key)
        {
            case { Group: "", Plural: "secrets" }:
                NormalizeSecret(def, obj);
                break;
            case { Group: "", Plural: "namespaces" }:
                obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" }:
                crd = ResourceDefinition.FromCrd(obj);
                obj["status"] = CrdStatus(obj);
                break;
        }

        DefaultAndValidate(def, obj, name);
        return (obj, crd);
    }

    private StoredObject CommitCreate(ResourceDefinition def, JsonObject obj, List<ResourceDefinition>? crdDefinitions, bool dryRun)
    {
        if (dryRun)
        {
            return StoredObject.From(obj);
        }

        obj["metadata"]!["resourceVersion"] = NextVersion();
        var stored = StoredObject.From(obj);
        Store(def.Key, stored);
        if (crdDefinitions is not null)
        {
            foreach (var d in crdDefinitions)
            {
                Serve(d);
            }
        }

        Emit(new ChangeRecord(stored.ResourceVersion, def.Key, "ADDED", stored, null));
        return stored;
    }

    private StoredObject CommitUpdate(ResourceDefinition def, StoredObject old, JsonObject incoming, bool statusEndpoint, string manager, List<ManagedFields.Entry>? computedEntries, bool dryRun)
    {
        var oldObj = old.Parse();
        JsonObject newObj;
        if (statusEndpoint)
        {
            if (!def.HasStatus)
            {
                throw ApiError.NotFoundPath($"{def.GroupResource}/status");
            }

            newObj = (JsonObject)oldObj.DeepClone();
            newObj["status"] = incoming["status"]?.DeepClone();
            if (newObj["status"] is null)
            {
                newObj.Remove("status");
            }
        }
        else
        {
            newObj = (JsonObject)incoming.DeepClone();
            if (def.HasStatus)
            {
                newObj["status"] = oldObj["status"]?.DeepClone();
                if (newObj["status"] is null)
                {
                    newObj.Remove("status");
                }
            }
        }

        var oldMeta = (JsonObject)oldObj["metadata"]!;
        var meta = newObj["metadata"] as JsonObject ?? new JsonObject();
        newObj["metadata"] = meta;
        foreach (var key in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (oldMeta[key] is { } value)
            {
                meta[key] = value.DeepClone();
            }
            else
            {
                meta.Remove(key);
            }
        }

        meta.Remove("selfLink");
        meta["resourceVersion"] = old.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        List<ResourceDefinition>? crd = null;
        switch (def.Key)
        {
            case { Group: "", Plural: "secrets" }:
                if (oldObj["immutable"]?.GetValue<bool>() == true && !JsonNode.DeepEquals(oldObj["data"], newObj["data"]))
                {
                    throw ApiError.Invalid(def, old.Name, "data", "field is immutable when `immutable` is set");
                }

                NormalizeSecret(def, newObj);
                break;
            case { Group: "", Plural: "namespaces" }:
                newObj["spec"] = oldObj["spec"]?.DeepClone();
                break;
            case { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" }:
                crd = ResourceDefinition.FromCrd(newObj);
                newObj["status"] = CrdStatus(newObj);
                break;
        }

        DefaultAndValidate(def, newObj, old.Name);
        if (def.TracksGeneration && !SameExceptMetadataAndStatus(oldObj, newObj))
        {
            meta["generation"] = (oldMeta["generation"]?.GetValue<long>() ?? 0) + 1;
        }

        if (computedEntries is not null)
        {
            ManagedFields.Write(newObj, computedEntries);
        }
        else
        {
            var entries = ManagedFields.Read(oldObj);
            meta["managedFields"] = oldMeta["managedFields"]?.DeepClone();
            ManagedFields.RecordUpdate(entries, manager, def.ApiVersion, Now(), oldObj, newObj, statusEndpoint ? "status" : null);
            ManagedFields.Write(newObj, entries);
        }

        if (dryRun)
        {
            return StoredObject.From(newObj);
        }

        if (meta["deletionTimestamp"] is not null && (meta["finalizers"] is not JsonArray f || f.Count == 0))
        {
            return RemoveNow(def.Key, old, newObj);
        }

        if (JsonNode.DeepEquals(WithoutTimes(oldObj), WithoutTimes(newObj)))
        {
            return old;
        }

        meta["resourceVersion"] = NextVersion();
        var stored = StoredObject.From(newObj);
        Store(def.Key, stored);
        if (crd is not null)
        {
            foreach (var d in crd)
            {
                Serve(d);
            }
        }

        Emit(new ChangeRecord(stored.ResourceVersion, def.Key, "MODIFIED", stored, old));
        return stored;
    }

    private StoredObject DeleteObject(StorageKey key, StoredObject old, string? propagationPolicy)
    {
        if (old.Deleting)
        {
            return old;
        }

        if (propagationPolicy == "Orphan")
        {
            Orphan(old.Uid);
        }
        else if (propagationPolicy == "Foreground")
        {
            foreach (var (depKey, depObjectKey) in Dependents(old.Uid))
            {
                if (Lookup(depKey, depObjectKey) is { } dep)
                {
                    DeleteObject(depKey, dep, "Foreground");
                }
            }
        }

        var obj = old.Parse();
        if (key == NamespacesKey)
        {
            var meta = (JsonObject)obj["metadata"]!;
            meta["deletionTimestamp"] = Now();
            meta["deletionGracePeriodSeconds"] = 0;
            obj["status"] = new JsonObject { ["phase"] = "Terminating" };
            meta["resourceVersion"] = NextVersion();
            var terminating = StoredObject.From(obj);
            Store(key, terminating);
            Emit(new ChangeRecord(terminating.ResourceVersion, key, "MODIFIED", terminating, old));
            foreach (var (k, store) in _objects.ToList())
            {
                if (k == NamespacesKey)
                {
                    continue;
                }

                foreach (var o in store.Values.Where(o => o.Namespace == old.Name).ToList())
                {
                    DeleteObject(k, o, null);
                }
            }

            TryFinishNamespace(old.Name);
            return Lookup(key, null, old.Name) ?? terminating;
        }

        if (key == CrdKey)
        {
            foreach (var def in _served.Values.Where(d => d.IsCustom && $"{d.Plural}.{d.Group}" == old.Name).ToList())
            {
                if (_objects.TryGetValue(def.Key, out var store))
                {
                    foreach (var o in store.Values.ToList())
                    {
                        RemoveNow(def.Key, o, o.Parse());
                    }
                }

                _served.Remove($"{def.Group}/{def.Version}/{def.Plural}");
            }

            return RemoveNow(key, old, obj);
        }

        if (obj["metadata"]?["finalizers"] is JsonArray { Count: > 0 })
        {
            var meta = (JsonObject)obj["metadata"]!;
            meta["deletionTimestamp"] = Now();
            meta["deletionGracePeriodSeconds"] = 0;
            meta["resourceVersion"] = NextVersion();
            var marked = StoredObject.From(obj);
            Store(key, marked);
            Emit(new ChangeRecord(marked.ResourceVersion, key, "MODIFIED", marked, old));
            return marked;
        }

        return RemoveNow(key, old, obj);
    }

    private StoredObject RemoveNow(StorageKey key, StoredObject old, JsonObject finalState)
    {
        finalState["metadata"]!["resourceVersion"] = NextVersion();
        var removed = StoredObject.From(finalState);
        if (_objects.TryGetValue(key, out var store))
        {
            store.Remove(old.Key);
        }

        _byUid.Remove(old.Uid);
        UnlinkOwners(key, old);
        Emit(new ChangeRecord(removed.ResourceVersion, key, "DELETED", removed, old));

        foreach (var (depKey, depObjectKey) in Dependents(old.Uid))
        {
            if (Lookup(depKey, depObjectKey) is { } dep && !dep.OwnerUids.Any(_byUid.ContainsKey))
            {
                DeleteObject(depKey, dep, null);
            }
        }

        _dependents.Remove(old.Uid);
        if (old.Namespace.Length > 0 && key != NamespacesKey)
        {
            TryFinishNamespace(old.Namespace);
        }

        return removed;
    }

    private void TryFinishNamespace(string ns)
    {
        if (Lookup(NamespacesKey, null, ns) is not { Deleting: true } nsObj)
        {
            return;
        }

        var prefix = ns + "/";
        foreach (var (k, store) in _objects)
        {
            if (k != NamespacesKey && store.Keys.Any(key => key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return;
            }
        }

        RemoveNow(NamespacesKey, nsObj, nsObj.Parse());
    }

    private void Orphan(string ownerUid)
    {
        foreach (var (depKey, depObjectKey) in Dependents(ownerUid))
        {
            if (Lookup(depKey, depObjectKey) is not { } dep)
            {
                continue;
            }

            var obj = dep.Parse();
            if (obj["metadata"]?["ownerReferences"] is JsonArray refs)
            {
                foreach (var r in refs.OfType<JsonObject>().Where(r => r["uid"]?.ToString() == ownerUid).ToList())
                {
                    refs.Remove(r);
                }

                if (refs.Count == 0)
                {
                    ((JsonObject)obj["metadata"]!).Remove("ownerReferences");
                }
            }

            obj["metadata"]!["resourceVersion"] = NextVersion();
            var stored = StoredObject.From(obj);
            Store(depKey, stored);
            Emit(new ChangeRecord(stored.ResourceVersion, depKey, "MODIFIED", stored, dep));
        }

        _dependents.Remove(ownerUid);
    }

    private List<(StorageKey, string)> Dependents(string uid) =>
        _dependents.TryGetValue(uid, out var set) ? set.ToList() : [];

    private void Store(StorageKey key, StoredObject stored)
    {
        if (!_objects.TryGetValue(key, out var store))
        {
            store = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _objects[key] = store;
        }

        if (store.TryGetValue(stored.Key, out var previous))
        {
            UnlinkOwners(key, previous);
        }

        store[stored.Key] = stored;
        _byUid[stored.Uid] = (key, stored.Key);
        foreach (var owner in stored.OwnerUids)
        {
            if (!_dependents.TryGetValue(owner, out var set))
            {
                set = [];
                _dependents[owner] = set;
            }

            set.Add((key, stored.Key));
        }
    }

    private void UnlinkOwners(StorageKey key, StoredObject stored)
    {
        foreach (var owner in stored.OwnerUids)
        {
            if (_dependents.TryGetValue(owner, out var set))
            {
                set.Remove((key, stored.Key));
                if (set.Count == 0)
                {
                    _dependents.Remove(owner);
                }
            }
        }
    }

    private void Emit(ChangeRecord change)
    {
        _history.Enqueue(change);
        while (_history.Count > _historyLimit)
        {
            _compactedVersion = _history.Dequeue().ResourceVersion;
        }

        foreach (var w in _watchers)
        {
            w.Offer(change);
        }

        Changed?.Invoke();
    }

    private void Serve(ResourceDefinition def) => _served[$"{def.Group}/{def.Version}/{def.Plural}"] = def;

    private StoredObject? Lookup(StorageKey key, string? ns, string name) =>
        Lookup(key, string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}");

    private StoredObject? Lookup(StorageKey key, string objectKey) =>
        _objects.TryGetValue(key, out var store) && store.TryGetValue(objectKey, out var o) ? o : null;

    private string NextVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private string Now() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void CheckVersion(ResourceDefinition def, StoredObject old, string? requested)
    {
        if (!string.IsNullOrEmpty(requested) && requested != old.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw ApiError.StaleVersion(def, old.Name);
        }
    }

    private static void CheckTypeMeta(ResourceDefinition def, JsonObject obj)
    {
        var kind = obj["kind"]?.ToString();
        var apiVersion = obj["apiVersion"]?.ToString();
        if (!string.IsNullOrEmpty(kind) && kind != def.Kind)
        {
            throw ApiError.BadRequest($"the kind of the object ({kind}) does not match the resource {def.GroupResource} (kind {def.Kind})");
        }

        if (!string.IsNullOrEmpty(apiVersion))
        {
            var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
            if (group != def.Group)
            {
                throw ApiError.BadRequest($"the API version of the object ({apiVersion}) does not match the group of {def.GroupResource}");
            }
        }

        obj["kind"] = def.Kind;
        obj["apiVersion"] = def.ApiVersion;
    }

    /// <summary>Drops the fields the resource's schema does not know; <c>fieldValidation=Strict</c> refuses them instead.</summary>
    private static void Prune(ResourceDefinition def, JsonObject obj, Admission? admission)
    {
        if (def.Schema is null)
        {
            return;
        }

        var pruned = def.Schema.PruneObject(obj);
        if (pruned.Count == 0)
        {
            return;
        }

        var unknown = pruned.Select(p => $"unknown field \"{p}\"").ToList();
        switch (admission?.Mode ?? FieldValidation.Warn)
        {
            case FieldValidation.Strict:
                throw ApiError.BadRequest($"{def.Kind} in version \"{def.Version}\" cannot be handled as a {def.Kind}: strict decoding error: {string.Join(", ", unknown)}");
            case FieldValidation.Warn:
                admission?.Warnings.AddRange(unknown.Where(w => !admission.Warnings.Contains(w)));
                break;
        }
    }

    /// <summary>Applies the schema's defaults and refuses the object with 422 naming every field that breaks the schema.</summary>
    private static void DefaultAndValidate(ResourceDefinition def, JsonObject obj, string name)
    {
        if (def.Schema is null)
        {
            return;
        }

        def.Schema.ApplyDefaults(obj);
        var errors = def.Schema.ValidateObject(obj);
        if (errors.Count > 0)
        {
            throw ApiError.FieldsInvalid(def, name, errors);
        }
    }

    private static void NormalizeSecret(ResourceDefinition def, JsonObject obj)
    {
        var name = obj["metadata"]?["name"]?.ToString() ?? string.Empty;
        var data = obj["data"] as JsonObject ?? new JsonObject();
        foreach (var (k, v) in data)
        {
            try
            {
                Convert.FromBase64String(v?.ToString() ?? string.Empty);
            }
            catch (FormatException)
            {
                throw ApiError.Invalid(def, name, $"data[{k}]", "must be base64-encoded");
            }
        }

        if (obj["stringData"] is JsonObject stringData)
        {
            foreach (var (k, v) in stringData)
            {
                data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v?.ToString() ?? string.Empty));
            }

            obj.Remove("stringData");
        }

        if (data.Count > 0)
        {
            obj["data"] = data;
        }

        if (string.IsNullOrEmpty(obj["type"]?.ToString()))
        {
            obj["type"] = "Opaque";
        }
    }

    private static JsonObject CrdStatus(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"]?.DeepClone() as JsonObject ?? new JsonObject();
        if (names["singular"] is null && names["kind"] is { } kind)
        {
            names["singular"] = kind.ToString().ToLowerInvariant();
        }

        if (names["listKind"] is null && names["kind"] is { } k)
        {
            names["listKind"] = k + "List";
        }

        var stored = new JsonArray();
        foreach (var v in (spec?["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (v["storage"]?.GetValue<bool>() == true)
            {
                stored.Add(v["name"]?.ToString());
            }
        }

        var now = crd["metadata"]?["creationTimestamp"]?.ToString();
        return new JsonObject
        {
            ["acceptedNames"] = names,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found", ["lastTransitionTime"] = now },
                new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted", ["lastTransitionTime"] = now }),
            ["storedVersions"] = stored,
        };
    }

    private static bool SameExceptMetadataAndStatus(JsonObject a, JsonObject b)
    {
        var keys = a.Select(kv => kv.Key).Concat(b.Select(kv => kv.Key)).Where(k => k is not ("metadata" or "status")).Distinct();
        return keys.All(k => JsonNode.DeepEquals(a[k], b[k]));
    }

    private static JsonObject WithoutTimes(JsonObject obj)
    {
        var clone = (JsonObject)obj.DeepClone();
        if (clone["metadata"]?["managedFields"] is JsonArray entries)
        {
            foreach (var e in entries.OfType<JsonObject>())
            {
                e.Remove("time");
            }
        }

        return clone;
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw ApiError.BadRequest($"the request body is not valid JSON: {ex.Message}");
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars);
    }

    private static string EncodeContinue(long version, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{version}|{lastKey}"));

    private static (long Version, string LastKey) DecodeContinue(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return (long.Parse(text[..bar], CultureInfo.InvariantCulture), text[(bar + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
        {
            throw ApiError.BadRequest("invalid continue token");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
