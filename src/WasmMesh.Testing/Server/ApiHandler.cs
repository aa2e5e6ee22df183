using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WasmMesh.Testing.Server;

/// <summary>Translates HTTP requests into <see cref="ApiState"/> operations: discovery, CRUD, patch, watch, tables.</summary>
internal sealed class ApiHandler
{
    private static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private readonly ApiState _state;
    private readonly KubernetesTestServerOptions _options;
    private readonly TimeProvider _time;

    public ApiHandler(ApiState state, KubernetesTestServerOptions options, TimeProvider time)
    {
        _state = state;
        _options = options;
        _time = time;
    }

    public string ServerAddress { get; set; } = "127.0.0.1";

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            if (_options.BearerToken is { Length: > 0 } token
                && context.Request.Headers.Authorization.ToString() != "Bearer " + token)
            {
                throw new ApiError(401, "Unauthorized", "Unauthorized");
            }

            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (ApiError error)
        {
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, error.Code, error.ToStatus()).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["version"]:
                await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["major"] = "1",
                    ["minor"] = "32",
                    ["gitVersion"] = "v1.32.0+wasmmesh.testserver",
                    ["gitCommit"] = "0000000000000000000000000000000000000000",
                    ["gitTreeState"] = "clean",
                    ["buildDate"] = "2025-01-01T00:00:00Z",
                    ["goVersion"] = "go1.23.0",
                    ["compiler"] = "gc",
                    ["platform"] = "linux/amd64",
                }).ConfigureAwait(false);
                return;
            case ["healthz"] or ["readyz"] or ["livez"]:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
                return;
            case ["openapi", "v3"]:
                await WriteJsonAsync(context, 200, OpenApiIndex()).ConfigureAwait(false);
                return;
            case ["openapi", "v3", "api", "v1"]:
                await WriteJsonAsync(context, 200, OpenApiDocument(string.Empty, "v1") ?? throw ApiError.NotFoundPath(path)).ConfigureAwait(false);
                return;
            case ["openapi", "v3", "apis", var og, var ov]:
                await WriteJsonAsync(context, 200, OpenApiDocument(og, ov) ?? throw ApiError.NotFoundPath(path)).ConfigureAwait(false);
                return;
            case ["api"]:
                await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["kind"] = "APIVersions",
                    ["versions"] = new JsonArray("v1"),
                    ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = ServerAddress }),
                }).ConfigureAwait(false);
                return;
            case ["api", "v1"]:
                await WriteJsonAsync(context, 200, ResourceList(string.Empty, "v1")).ConfigureAwait(false);
                return;
            case ["apis"]:
                await WriteJsonAsync(context, 200, GroupList()).ConfigureAwait(false);
                return;
            case ["apis", var g]:
                var group = Groups().FirstOrDefault(x => x["name"]?.ToString() == g) ?? throw ApiError.NotFoundPath(path);
                await WriteJsonAsync(context, 200, group).ConfigureAwait(false);
                return;
            case ["apis", var g, var v]:
                if (!_state.Definitions().Any(d => d.Group == g && d.Version == v))
                {
                    throw ApiError.NotFoundPath(path);
                }

                await WriteJsonAsync(context, 200, ResourceList(g, v)).ConfigureAwait(false);
                return;
            case ["api", "v1", .. var rest]:
                await ResourceAsync(context, string.Empty, "v1", rest, path).ConfigureAwait(false);
                return;
            case ["apis", var g, var v, .. var rest]:
                await ResourceAsync(context, g, v, rest, path).ConfigureAwait(false);
                return;
            default:
                throw ApiError.NotFoundPath(path);
        }
    }

    private async Task ResourceAsync(HttpContext context, string group, string version, string[] rest, string path)
    {
        var watchPath = false;
        if (rest.Length > 0 && rest[0] == "watch")
        {
            watchPath = true;
            rest = rest[1..];
        }

        string? ns = null;
        string plural;
        string? name = null;
        string? sub = null;
        if (group.Length == 0 && rest is ["namespaces", var nsName, ..] && (rest.Length == 2 || (rest.Length == 3 && rest[2] is "status" or "finalize")))
        {
            plural = "namespaces";
            name = nsName;
            sub = rest.Length == 3 ? rest[2] : null;
        }
        else if (rest is ["namespaces", var n, var p, ..])
        {
            ns = n;
            plural = p;
            name = rest.Length > 3 ? rest[3] : null;
            sub = rest.Length > 4 ? rest[4] : null;
            if (rest.Length > 5)
            {
                throw ApiError.NotFoundPath(path);
            }
        }
        else if (rest.Length is >= 1 and <= 3)
        {
            plural = rest[0];
            name = rest.Length > 1 ? rest[1] : null;
            sub = rest.Length > 2 ? rest[2] : null;
        }
        else
        {
            throw ApiError.NotFoundPath(path);
        }

        var def = _state.Find(group, version, plural) ?? throw ApiError.NotFoundPath(path);
        if ((ns is not null && !def.Namespaced) || (sub is not null && sub != "status" && !(sub == "finalize" && plural == "namespaces")))
        {
            throw ApiError.NotFoundPath(path);
        }

        if (def.Namespaced && ns is null && name is not null)
        {
            throw ApiError.NotFoundPath(path);
        }

        var q = context.Request.Query;
        var method = context.Request.Method;
        var dryRun = q["dryRun"].ToString() == "All";
        var manager = FieldManager(context);
        var status = sub is "status" or "finalize";
        var admission = Admission.Parse(q["fieldValidation"]);
        if (name is null)
        {
            switch (method)
            {
                case "GET" when watchPath || q["watch"] is { Count: > 0 } w && w.ToString() is "true" or "1":
                    await WatchAsync(context, def, ns).ConfigureAwait(false);
                    return;
                case "GET":
                    await ListAsync(context, def, ns).ConfigureAwait(false);
                    return;
                case "POST":
                {
                    var body = await ReadObjectAsync(context).ConfigureAwait(false);
                    var created = _state.Create(def, ns, body, manager, dryRun, admission);
                    AddWarnings(context, admission);
                    await WriteObjectAsync(context, 201, def, created).ConfigureAwait(false);
                    return;
                }

                case "DELETE":
                {
                    var (policy, _, _) = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
                    var deleted = _state.DeleteCollection(def, ns, LabelSelector.Parse(q["labelSelector"]), FieldSelector.Parse(q["fieldSelector"]), policy);
                    await WriteListAsync(context, def, _state.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture), deleted, null, null).ConfigureAwait(false);
                    return;
                }

                default:
                    throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {path})");
            }
        }

        switch (method)
        {
            case "GET":
            {
                var obj = _state.Get(def, ns, name);
                if (WantsTable(context))
                {
                    var table = TableWriter.Build(def, [Versioned(def, obj)], obj.ResourceVersion.ToString(CultureInfo.InvariantCulture), null, IncludeObject(context), _time.GetUtcNow());
                    await WriteJsonAsync(context, 200, table).ConfigureAwait(false);
                    return;
                }

                await WriteObjectAsync(context, 200, def, obj).ConfigureAwait(false);
                return;
            }

            case "PUT":
            {
                var body = await ReadObjectAsync(context).ConfigureAwait(false);
                var updated = _state.Replace(def, ns, name, body, status, manager, dryRun, admission);
                AddWarnings(context, admission);
                await WriteObjectAsync(context, 200, def, updated).ConfigureAwait(false);
                return;
            }

            case "PATCH":
            {
                var mediaType = (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim();
                var text = await ReadTextAsync(context).ConfigureAwait(false);
                var explicitManager = q["fieldManager"].ToString();
                var patched = _state.Patch(def, ns, name, mediaType, text, status, explicitManager.Length > 0 ? explicitManager : mediaType.StartsWith("application/apply-patch", StringComparison.Ordinal) ? null : manager, q["force"].ToString() == "true", dryRun, admission);
                AddWarnings(context, admission);
                await WriteObjectAsync(context, 200, def, patched).ConfigureAwait(false);
                return;
            }

            case "DELETE":
            {
                var (policy, uid, rv) = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
                var (deleted, _) = _state.Delete(def, ns, name, policy, uid, rv, dryRun || await DryRunInBodyAsync(context).ConfigureAwait(false));
                await WriteObjectAsync(context, 200, def, deleted).ConfigureAwait(false);
                return;
            }

            default:
                throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {path})");
        }
    }

    private async Task ListAsync(HttpContext context, ResourceDefinition def, string? ns)
    {
        var q = context.Request.Query;
        int? limit = int.TryParse(q["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : null;
        var (rv, items, next, remaining) = _state.List(def, ns, LabelSelector.Parse(q["labelSelector"]), FieldSelector.Parse(q["fieldSelector"]), limit, q["continue"]);
        var version = rv.ToString(CultureInfo.InvariantCulture);
        if (WantsTable(context))
        {
            var table = TableWriter.Build(def, items.Select(i => Versioned(def, i)), version, next, IncludeObject(context), _time.GetUtcNow());
            await WriteJsonAsync(context, 200, table).ConfigureAwait(false);
            return;
        }

        await WriteListAsync(context, def, version, items, next, remaining).ConfigureAwait(false);
    }

    private static async Task WriteListAsync(HttpContext context, ResourceDefinition def, string version, List<StoredObject> items, string? next, long? remaining)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var body = context.Response.BodyWriter;
        var header = new StringBuilder();
        header.Append("{\"kind\":\"").Append(def.ListKind).Append("\",\"apiVersion\":\"").Append(def.ApiVersion).Append("\",\"metadata\":{\"resourceVersion\":\"").Append(version).Append('"');
        if (next is not null)
        {
            header.Append(",\"continue\":\"").Append(next).Append("\",\"remainingItemCount\":").Append(remaining ?? 0);
        }

        header.Append("},\"items\":[");
        await body.WriteAsync(Encoding.UTF8.GetBytes(header.ToString()), context.RequestAborted).ConfigureAwait(false);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                await body.WriteAsync(","u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
            }

            await body.WriteAsync(Bytes(def, items[i]), context.RequestAborted).ConfigureAwait(false);
        }

        await body.WriteAsync("]}"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WatchAsync(HttpContext context, ResourceDefinition def, string? ns)
    {
        var q = context.Request.Query;
        var table = WantsTable(context);
        var includeObject = IncludeObject(context);
        var bookmarks = q["allowWatchBookmarks"].ToString() == "true";
        var timeout = int.TryParse(q["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0
            ? TimeSpan.FromSeconds(t)
            : TimeSpan.FromMinutes(30);
        var (watcher, gone) = _state.Watch(def, ns, LabelSelector.Parse(q["labelSelector"]), FieldSelector.Parse(q["fieldSelector"]), q["resourceVersion"]);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var aborted = context.RequestAborted;
        await context.Response.StartAsync(aborted).ConfigureAwait(false);
        if (watcher is null)
        {
            var status = ApiError.Status(410, "Expired", gone!);
            await WriteLineAsync(context, "{\"type\":\"ERROR\",\"object\":" + status.ToJsonString() + "}").ConfigureAwait(false);
            return;
        }

        try
        {
            var deadline = DateTimeOffset.UtcNow + timeout;
            var reader = watcher.Events.Reader;
            while (!aborted.IsCancellationRequested)
            {
                var remainingTime = deadline - DateTimeOffset.UtcNow;
                if (remainingTime <= TimeSpan.Zero)
                {
                    break;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                wait.CancelAfter(remainingTime < _options.BookmarkInterval ? remainingTime : _options.BookmarkInterval);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    if (bookmarks && _state.BookmarkVersion(watcher) is { } rv)
                    {
                        var bookmark = $"{{\"type\":\"BOOKMARK\",\"object\":{{\"kind\":\"{def.Kind}\",\"apiVersion\":\"{def.ApiVersion}\",\"metadata\":{{\"resourceVersion\":\"{rv}\",\"creationTimestamp\":null}}}}}}";
                        await WriteLineAsync(context, bookmark).ConfigureAwait(false);
                    }

                    continue;
                }

                if (!more)
                {
                    break;
                }

                var batch = new StringBuilder();
                while (watcher.TryTake(out var e))
                {
                    batch.Append("{\"type\":\"").Append(e.Type).Append("\",\"object\":");
                    if (table)
                    {
                        var obj = Versioned(def, e.Object);
                        batch.Append(TableWriter.Build(def, [obj], e.Object.ResourceVersion.ToString(CultureInfo.InvariantCulture), null, includeObject, _time.GetUtcNow()).ToJsonString());
                    }
                    else
                    {
                        batch.Append(Encoding.UTF8.GetString(Bytes(def, e.Object)));
                    }

                    batch.Append("}\n");
                }

                await context.Response.WriteAsync(batch.ToString(), aborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            _state.StopWatch(watcher);
        }
    }

    private static async Task WriteLineAsync(HttpContext context, string line)
    {
        await context.Response.WriteAsync(line + "\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteObjectAsync(HttpContext context, int code, ResourceDefinition def, StoredObject obj)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Bytes(def, obj), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode node)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(StoredObject.Serialize(node), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The stored bytes, with apiVersion rewritten when the object is read through another served version.</summary>
    private static byte[] Bytes(ResourceDefinition def, StoredObject obj)
    {
        if (obj.ApiVersion == def.ApiVersion)
        {
            return obj.Json;
        }

        var parsed = obj.Parse();
        parsed["apiVersion"] = def.ApiVersion;
        return StoredObject.Serialize(parsed);
    }

    private static JsonObject Versioned(ResourceDefinition def, StoredObject obj)
    {
        var parsed = obj.Parse();
        parsed["apiVersion"] = def.ApiVersion;
        return parsed;
    }

    private static bool WantsTable(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static string IncludeObject(HttpContext context) =>
        context.Request.Query["includeObject"].ToString() is { Length: > 0 } value ? value : "Metadata";

    private static string FieldManager(HttpContext context)
    {
        var explicitManager = context.Request.Query["fieldManager"].ToString();
        if (explicitManager.Length > 0)
        {
            return explicitManager;
        }

        var agent = context.Request.Headers.UserAgent.ToString();
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        return agent.Length == 0 ? "unknown" : slash > 0 ? agent[..slash] : agent;
    }

    private static async Task<string> ReadTextAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Adds one <c>Warning: 299 - "…"</c> header per warning, as the API server reports dropped unknown fields.</summary>
    private static void AddWarnings(HttpContext context, Admission admission)
    {
        foreach (var warning in admission.Warnings)
        {
            var escaped = warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
            context.Response.Headers.Append("Warning", $"299 - \"{escaped}\"");
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "application/json";
        if (contentType.Contains("protobuf", StringComparison.Ordinal))
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            return ProtobufDecoder.Decode(buffer.ToArray());
        }

        if (contentType.Contains("cbor", StringComparison.Ordinal))
        {
            throw ApiError.UnsupportedMediaType(contentType);
        }

        var text = await ReadTextAsync(context).ConfigureAwait(false);
        JsonNode? node;
        if (contentType.Contains("yaml", StringComparison.Ordinal) && !text.TrimStart().StartsWith('{'))
        {
            var docs = YamlDocuments.Parse(text);
            node = docs.Count == 1 ? docs[0] : null;
        }
        else
        {
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException ex)
            {
                throw ApiError.BadRequest($"the request body is not valid JSON: {ex.Message}");
            }
        }

        return node as JsonObject ?? throw ApiError.BadRequest("the request body must be a JSON object");
    }

    private static async Task<(string? Policy, string? Uid, string? ResourceVersion)> ReadDeleteOptionsAsync(HttpContext context)
    {
        var q = context.Request.Query;
        string? policy = q["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null;
        if (q["orphanDependents"].ToString() == "true")
        {
            policy = "Orphan";
        }

        string? uid = null;
        string? rv = null;
        var text = await ReadBodyOnceAsync(context).ConfigureAwait(false);
        if (text.Length > 0 && JsonNode.Parse(text) is JsonObject body)
        {
            policy = body["propagationPolicy"]?.ToString() ?? policy;
            if (body["orphanDependents"]?.GetValue<bool>() == true)
            {
                policy = "Orphan";
            }

            uid = body["preconditions"]?["uid"]?.ToString();
            rv = body["preconditions"]?["resourceVersion"]?.ToString();
        }

        return (policy, uid, rv);
    }

    private static async Task<bool> DryRunInBodyAsync(HttpContext context)
    {
        var text = await ReadBodyOnceAsync(context).ConfigureAwait(false);
        return text.Length > 0 && JsonNode.Parse(text) is JsonObject body && body["dryRun"] is JsonArray { Count: > 0 };
    }

    private static async Task<string> ReadBodyOnceAsync(HttpContext context)
    {
        if (context.Items.TryGetValue("body", out var cached) && cached is string s)
        {
            return s;
        }

        var text = await ReadTextAsync(context).ConfigureAwait(false);
        context.Items["body"] = text;
        return text;
    }

    private JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var d in _state.Definitions().Where(d => d.Group == group && d.Version == version).OrderBy(d => d.Plural, StringComparer.Ordinal))
        {
            var r = new JsonObject
            {
                ["name"] = d.Plural,
                ["singularName"] = d.Singular,
                ["namespaced"] = d.Namespaced,
                ["kind"] = d.Kind,
                ["verbs"] = new JsonArray(Verbs.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            };
            if (d.ShortNames.Count > 0)
            {
                r["shortNames"] = new JsonArray(d.ShortNames.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
            }

            if (d.Categories.Count > 0)
            {
                r["categories"] = new JsonArray(d.Categories.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
            }

            resources.Add(r);
            if (d.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = d.Plural + "/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = d.Namespaced,
                    ["kind"] = d.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>
    /// The OpenAPI v3 index. The documents only describe PATCH operations and their <c>fieldValidation</c>
    /// parameter, which is what kubectl checks before it leaves validation to the server.
    /// </summary>
    private JsonObject OpenApiIndex()
    {
        var paths = new JsonObject();
        foreach (var gv in _state.Definitions().Select(d => (d.Group, d.Version)).Distinct().OrderBy(x => x.Group, StringComparer.Ordinal))
        {
            var key = gv.Group.Length == 0 ? $"api/{gv.Version}" : $"apis/{gv.Group}/{gv.Version}";
            var doc = OpenApiDocument(gv.Group, gv.Version)!;
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(StoredObject.Serialize(doc)));
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    private JsonObject? OpenApiDocument(string group, string version)
    {
        var defs = _state.Definitions().Where(d => d.Group == group && d.Version == version).OrderBy(d => d.Plural, StringComparer.Ordinal).ToList();
        if (defs.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var d in defs)
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var path = d.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{d.Plural}/{{name}}" : $"{prefix}/{d.Plural}/{{name}}";
            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{d.Kind}",
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "force", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "boolean" } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = d.Kind },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes API test server", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var g in Groups())
        {
            groups.Add(g);
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private List<JsonObject> Groups()
    {
        var result = new List<JsonObject>();
        foreach (var byGroup in _state.Definitions().Where(d => d.Group.Length > 0).GroupBy(d => d.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var versions = byGroup.Select(d => d.Version).Distinct().OrderByDescending(VersionPriority).ToList();
            var list = new JsonArray();
            foreach (var v in versions)
            {
                list.Add(new JsonObject { ["groupVersion"] = $"{byGroup.Key}/{v}", ["version"] = v });
            }

            result.Add(new JsonObject
            {
                ["kind"] = "APIGroup",
                ["apiVersion"] = "v1",
                ["name"] = byGroup.Key,
                ["versions"] = list,
                ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{byGroup.Key}/{versions[0]}", ["version"] = versions[0] },
            });
        }

        return result;
    }

    /// <summary>Kubernetes version ordering: GA above beta above alpha, higher numbers first.</summary>
    private static long VersionPriority(string version)
    {
        var m = System.Text.RegularExpressions.Regex.Match(version, "^v(\\d+)(?:(alpha|beta)(\\d+))?$");
        if (!m.Success)
        {
            return 0;
        }

        var major = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var stage = m.Groups[2].Value switch { "alpha" => 1, "beta" => 2, _ => 3 };
        var minor = m.Groups[3].Success ? long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        return (stage * 1_000_000_000L) + (major * 1000) + minor;
    }
}
