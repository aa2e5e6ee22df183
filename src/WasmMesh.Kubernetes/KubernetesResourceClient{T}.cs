using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>
/// <see cref="IKubernetesResourceClient{T}"/> over KubernetesClient's <see cref="IKubernetes"/>: reads and writes
/// through the CustomObjects API (errors mapped by <see cref="KubernetesErrors"/>); lists and watches stream through
/// the same client's HTTP pipeline (its TLS and credentials) and are decoded item by item with the caller's
/// source-generated <see cref="JsonTypeInfo{T}"/>.
/// </summary>
internal sealed class KubernetesResourceClient<T> : IKubernetesResourceClient<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetes _kubernetes;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly string? _defaultNamespace;

    public KubernetesResourceClient(IKubernetes kubernetes, KubernetesResourceType resourceType, JsonTypeInfo<T> typeInfo, string? defaultNamespace)
    {
        _kubernetes = kubernetes;
        ResourceType = resourceType;
        _typeInfo = typeInfo;
        _defaultNamespace = defaultNamespace;
    }

    public KubernetesResourceType ResourceType { get; }

    /// <summary>The CustomObjects API; core resources (no group) are listed and watched here but written through the typed API.</summary>
    private ICustomObjectsOperations Objects => ResourceType.Group.Length > 0
        ? _kubernetes.CustomObjects
        : throw new NotSupportedException($"{ResourceType} is a core resource: this client lists and watches it; read and write it with the typed IKubernetes.CoreV1 operations.");

    public Task<T> GetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default)
    {
        var path = ResourceType.ObjectPath(namespaceName, name);
        var (group, version, plural) = (ResourceType.Group, ResourceType.Version, ResourceType.Plural);
        return ReadAsync(
            "GET",
            path,
            () => ResourceType.Namespaced
                ? Objects.GetNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(group, version, namespaceName!, plural, name, cancellationToken: cancellationToken)
                : Objects.GetClusterCustomObjectWithHttpMessagesAsync<JsonElement>(group, version, plural, name, cancellationToken: cancellationToken));
    }

    public async Task<T?> TryGetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(namespaceName, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public async Task<ResourceList<T>> ListAsync(string? namespaceName = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = ResourceType.CollectionPath(namespaceName);
        var query = new QueryBuilder();
        if (options is not null)
        {
            query.Add("labelSelector", options.LabelSelector);
            query.Add("fieldSelector", options.FieldSelector);
            query.Add("limit", options.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            query.Add("continue", options.Continue);
            query.Add("resourceVersion", options.ResourceVersion);
        }

        byte[] bytes;
        if (_kubernetes is k8s.Kubernetes http)
        {
            using var response = await SendRawAsync(http, path, query.ToString(), cancellationToken).ConfigureAwait(false);
            bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var (group, version, plural) = (ResourceType.Group, ResourceType.Version, ResourceType.Plural);
            using var result = await KubernetesErrors.CallAsync(
                () => string.IsNullOrEmpty(namespaceName) || !ResourceType.Namespaced
                    ? Objects.ListClusterCustomObjectWithHttpMessagesAsync<JsonElement>(group, version, plural, continueParameter: options?.Continue, fieldSelector: options?.FieldSelector, labelSelector: options?.LabelSelector, limit: options?.Limit, resourceVersion: options?.ResourceVersion, cancellationToken: cancellationToken)
                    : Objects.ListNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(group, version, namespaceName, plural, continueParameter: options?.Continue, fieldSelector: options?.FieldSelector, labelSelector: options?.LabelSelector, limit: options?.Limit, resourceVersion: options?.ResourceVersion, cancellationToken: cancellationToken),
                "GET",
                path).ConfigureAwait(false);
            bytes = JsonSerializer.SerializeToUtf8Bytes(result.Body, KubernetesJsonContext.Default.JsonElement);
        }

        try
        {
            var (meta, items, undecodable) = KubernetesJson.ParseList(bytes, _typeInfo);
            return new ResourceList<T> { Metadata = meta, Items = items, Undecodable = undecodable };
        }
        catch (JsonException ex)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, new V1Status { Status = "Failure", Message = $"the list response is not a valid {ResourceType.Kind} list: {ex.Message}" }, "GET", path);
        }
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? namespaceName = null, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new WatchOptions();
        var query = new QueryBuilder();
        query.Add("watch", "true");
        query.Add("resourceVersion", options.ResourceVersion);
        query.Add("labelSelector", options.LabelSelector);
        query.Add("fieldSelector", options.FieldSelector);
        query.Add("allowWatchBookmarks", options.AllowWatchBookmarks ? "true" : null);
        query.Add("timeoutSeconds", options.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var path = ResourceType.CollectionPath(namespaceName);
        if (_kubernetes is k8s.Kubernetes http)
        {
            // The client's own HTTP pipeline, read as bytes: no line-to-string round trip.
            using var response = await SendRawAsync(http, path, query.ToString(), cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var e in ReadEventsAsync(stream, path, cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }

            yield break;
        }

        using var watch = await OpenWatchAsync(namespaceName, options, path, cancellationToken).ConfigureAwait(false);
        if (watch is null)
        {
            // The stream ended before its first event (a server-side timeout): callers re-watch.
            yield break;
        }

        var events = WatchLines.ReaderOf(watch.Response.Content) is { } lines
            ? ReadEventsAsync(lines, path, cancellationToken)
            : ReadEventsAsync(await watch.Response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), path, cancellationToken);
        await foreach (var e in events.ConfigureAwait(false))
        {
            yield return e;
        }
    }

    public async Task<T> CreateAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (body, meta) = Serialize(item, forApply: false);
        var ns = NamespaceOf(meta);
        var path = ResourceType.CollectionPath(ns);
        var (group, version, plural) = (ResourceType.Group, ResourceType.Version, ResourceType.Plural);
        return await ReadAsync(
            "POST",
            path,
            () => ResourceType.Namespaced
                ? Objects.CreateNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(body, group, version, ns!, plural, DryRun(options?.DryRun), options?.FieldManager, cancellationToken: cancellationToken)
                : Objects.CreateClusterCustomObjectWithHttpMessagesAsync<JsonElement>(body, group, version, plural, DryRun(options?.DryRun), options?.FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public Task<T> ReplaceAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Replace(item, status: false, options, cancellationToken);

    public Task<T> ReplaceStatusAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Replace(item, status: true, options, cancellationToken);

    public Task<T> PatchAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Patch(namespaceName, name, status: false, patch, options?.FieldManager, DryRun(options?.DryRun), force: null, cancellationToken);

    public Task<T> PatchStatusAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Patch(namespaceName, name, status: true, patch, options?.FieldManager, DryRun(options?.DryRun), force: null, cancellationToken);

    public Task<T> ApplyAsync(T item, ApplyOptions options, CancellationToken cancellationToken = default) =>
        Apply(item, status: false, options, cancellationToken);

    public Task<T> ApplyStatusAsync(T item, ApplyOptions options, CancellationToken cancellationToken = default) =>
        Apply(item, status: true, options, cancellationToken);

    public async Task<T?> DeleteAsync(string? namespaceName, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = ResourceType.ObjectPath(namespaceName, name);
        V1DeleteOptions? body = null;
        if (options is not null)
        {
            body = new V1DeleteOptions
            {
                ApiVersion = "v1",
                Kind = "DeleteOptions",
                PropagationPolicy = options.PropagationPolicy,
                GracePeriodSeconds = options.GracePeriodSeconds,
                DryRun = options.DryRun ? ["All"] : null,
                Preconditions = options.PreconditionUid is null && options.PreconditionResourceVersion is null
                    ? null
                    : new V1Preconditions { Uid = options.PreconditionUid, ResourceVersion = options.PreconditionResourceVersion },
            };
        }

        var (group, version, plural) = (ResourceType.Group, ResourceType.Version, ResourceType.Plural);
        using var response = await KubernetesErrors.CallAsync(
            () => ResourceType.Namespaced
                ? Objects.DeleteNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(group, version, namespaceName!, plural, name, body, cancellationToken: cancellationToken)
                : Objects.DeleteClusterCustomObjectWithHttpMessagesAsync<JsonElement>(group, version, plural, name, body, cancellationToken: cancellationToken),
            "DELETE",
            path).ConfigureAwait(false);
        var element = response.Body;
        if (element.ValueKind != JsonValueKind.Object
            || (element.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.ValueEquals("Status")))
        {
            return null;
        }

        return Decode(element, "DELETE", path);
    }

    private Task<T> Replace(T item, bool status, WriteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (body, meta) = Serialize(item, forApply: false);
        var ns = NamespaceOf(meta);
        var name = NameOf(meta);
        var path = ResourceType.ObjectPath(ns, name) + (status ? "/status" : string.Empty);
        var (group, version, plural) = (ResourceType.Group, ResourceType.Version, ResourceType.Plural);
        var dryRun = DryRun(options?.DryRun);
        var manager = options?.FieldManager;
        return ReadAsync(
            "PUT",
            path,
            () => (ResourceType.Namespaced, status) switch
            {
                (true, false) => Objects.ReplaceNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(body, group, version, ns!, plural, name, dryRun, manager, cancellationToken: cancellationToken),
                (true, true) => Objects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<JsonElement>(body, group, version, ns!, plural, name, dryRun, manager, cancellationToken: cancellationToken),
                (false, false) => Objects.ReplaceClusterCustomObjectWithHttpMessagesAsync<JsonElement>(body, group, version, plural, name, dryRun, manager, cancellationToken: cancellationToken),
                (false, true) => Objects.ReplaceClusterCustomObjectStatusWithHttpMessagesAsync<JsonElement>(body, group, version, plural, name, dryRun, manager, cancellationToken: cancellationToken),
            });
    }

    private Task<T> Apply(T item, bool status, ApplyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.FieldManager);
        var (body, meta) = Serialize(item, forApply: true);
        var patch = new KubernetesPatch { Type = KubernetesPatchType.Apply, Content = body.GetRawText() };
        return Patch(NamespaceOf(meta), NameOf(meta), status, patch, options.FieldManager, DryRun(options.DryRun), options.Force ? true : null, cancellationToken);
    }

    private Task<T> Patch(string? namespaceName, string name, bool status, KubernetesPatch patch, string? fieldManager, string? dryRun, bool? force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var path = ResourceType.ObjectPath(namespaceName, name) + (status ? "/status" : string.Empty);
        var body = new V1Patch(patch.Content, patch.Type switch
        {
            KubernetesPatchType.Merge => V1Patch.PatchType.MergePatch,
            KubernetesPatchType.Json => V1Patch.PatchType.JsonPatch,
            KubernetesPatchType.StrategicMerge => V1Patch.PatchType.StrategicMergePatch,
            KubernetesPatchType.Apply => V1Patch.PatchType.ApplyPatch,
            _ => throw new ArgumentOutOfRangeException(nameof(patch), patch.Type, "Unknown patch type."),
        });
        var (group, version, plural) = (ResourceType.Group, ResourceType.Version, ResourceType.Plural);
        return ReadAsync(
            "PATCH",
            path,
            () => (ResourceType.Namespaced, status) switch
            {
                (true, false) => Objects.PatchNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(body, group, version, namespaceName!, plural, name, dryRun, fieldManager, force: force, cancellationToken: cancellationToken),
                (true, true) => Objects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync<JsonElement>(body, group, version, namespaceName!, plural, name, dryRun, fieldManager, force: force, cancellationToken: cancellationToken),
                (false, false) => Objects.PatchClusterCustomObjectWithHttpMessagesAsync<JsonElement>(body, group, version, plural, name, dryRun, fieldManager, force: force, cancellationToken: cancellationToken),
                (false, true) => Objects.PatchClusterCustomObjectStatusWithHttpMessagesAsync<JsonElement>(body, group, version, plural, name, dryRun, fieldManager, force: force, cancellationToken: cancellationToken),
            });
    }

    private async Task<T> ReadAsync(string method, string path, Func<Task<HttpOperationResponse<JsonElement>>> call)
    {
        using var response = await KubernetesErrors.CallAsync(call, method, path).ConfigureAwait(false);
        return Decode(response.Body, method, path);
    }

    private T Decode(JsonElement element, string method, string path)
    {
        try
        {
            var item = element.Deserialize(_typeInfo) ?? throw new JsonException("the server returned an empty body");
            item.Metadata ??= new V1ObjectMeta();
            return item;
        }
        catch (JsonException ex)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, new V1Status { Status = "Failure", Message = $"the response is not a valid {ResourceType.Kind}: {ex.Message}" }, method, path);
        }
    }

    private (JsonElement Body, V1ObjectMeta Metadata) Serialize(T item, bool forApply)
    {
        byte[] bytes;
        V1ObjectMeta meta;
        try
        {
            (bytes, meta) = KubernetesJson.SerializeForWrite(item, _typeInfo, ResourceType, forApply);
        }
        catch (NotSupportedException ex) when (ex.Message.Contains(nameof(JsonElement), StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{typeof(T).Name} cannot be serialized: V1ObjectMeta holds managedFields as JsonElement; add [JsonSerializable(typeof(JsonElement))] to the JsonSerializerContext of {typeof(T).Name}.", ex);
        }

        using var document = JsonDocument.Parse(bytes);
        return (document.RootElement.Clone(), meta);
    }

    private static string? DryRun(bool? dryRun) => dryRun == true ? "All" : null;

    /// <summary>
    /// Sends a GET through the client's own HTTP pipeline (TLS, credentials, user agent) and returns the response
    /// with its headers read; error responses become <see cref="KubernetesApiException"/>s.
    /// </summary>
    private static async Task<HttpResponseMessage> SendRawAsync(k8s.Kubernetes http, string path, string query, CancellationToken cancellationToken)
    {
        var relative = path.TrimStart('/') + (query.Length == 0 ? string.Empty : "?" + query);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(http.BaseUri, relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (http.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await http.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        KubernetesMetrics.Requests.Add(1, new KeyValuePair<string, object?>("method", "GET"), new KeyValuePair<string, object?>("code", (int)response.StatusCode));
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            string? body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                body = null;
            }

            throw new KubernetesApiException(response.StatusCode, KubernetesErrors.ParseStatus(response.StatusCode, body), "GET", path);
        }
    }

    private string? NamespaceOf(V1ObjectMeta meta)
    {
        if (!ResourceType.Namespaced)
        {
            return null;
        }

        return string.IsNullOrEmpty(meta.NamespaceProperty) ? _defaultNamespace ?? "default" : meta.NamespaceProperty;
    }

    private string NameOf(V1ObjectMeta meta) =>
        string.IsNullOrEmpty(meta.Name)
            ? throw new InvalidOperationException($"The {ResourceType.Kind} has no metadata.name: set it before writing the object.")
            : meta.Name;

    private WatchEvent<T> ParseEvent(ReadOnlySequence<byte> line, string path)
    {
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        string? type;
        int start, end;
        try
        {
            (type, start, end) = KubernetesJson.ParseWatchLine(bytes);
        }
        catch (JsonException ex)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, new V1Status { Message = $"the watch stream sent invalid JSON: {ex.Message}" }, "GET", path);
        }

        if (start < 0)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, new V1Status { Message = $"the watch event '{type}' has no object" }, "GET", path);
        }

        var obj = bytes[start..end];
        var eventType = type switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => (WatchEventType?)null,
            _ => throw new KubernetesApiException(HttpStatusCode.InternalServerError, new V1Status { Message = $"unknown watch event type '{type}'" }, "GET", path),
        };

        if (eventType is null)
        {
            var status = JsonSerializer.Deserialize(obj, KubernetesJsonContext.Default.V1Status) ?? new V1Status();
            throw new KubernetesApiException(KubernetesErrors.StatusCodeOf(status), status, "WATCH", path);
        }

        if (eventType == WatchEventType.Bookmark)
        {
            return new WatchEvent<T> { Type = WatchEventType.Bookmark, Metadata = KubernetesJson.ParseMetadata(obj) };
        }

        var (item, meta, error) = KubernetesJson.ParseItem(obj, _typeInfo);
        return new WatchEvent<T> { Type = eventType.Value, Object = item, Metadata = meta, DecodeError = error };
    }

    /// <summary>
    /// Opens a watch through the <see cref="IKubernetes"/> operations (<c>watch=true</c>), for clients that are not a
    /// <see cref="k8s.Kubernetes"/>: custom resources through CustomObjects, core resources through CoreV1.
    /// </summary>
    private async Task<HttpOperationResponse> OpenWatchCoreAsync(string? namespaceName, WatchOptions options, CancellationToken cancellationToken)
    {
        var (group, version, plural) = (ResourceType.Group, ResourceType.Version, ResourceType.Plural);
        var all = string.IsNullOrEmpty(namespaceName) || !ResourceType.Namespaced;
        var (rv, labels, fields, bookmarks, timeout) = (options.ResourceVersion, options.LabelSelector, options.FieldSelector, options.AllowWatchBookmarks ? true : (bool?)null, options.TimeoutSeconds);
        if (group.Length > 0)
        {
            return all
                ? await _kubernetes.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonElement>(group, version, plural, allowWatchBookmarks: bookmarks, fieldSelector: fields, labelSelector: labels, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await _kubernetes.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(group, version, namespaceName!, plural, allowWatchBookmarks: bookmarks, fieldSelector: fields, labelSelector: labels, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var core = _kubernetes.CoreV1;
        return (plural, all) switch
        {
            ("secrets", true) => await core.ListSecretForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: bookmarks, fieldSelector: fields, labelSelector: labels, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken).ConfigureAwait(false),
            ("secrets", false) => await core.ListNamespacedSecretWithHttpMessagesAsync(namespaceName!, allowWatchBookmarks: bookmarks, fieldSelector: fields, labelSelector: labels, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken).ConfigureAwait(false),
            ("events", true) => await core.ListEventForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: bookmarks, fieldSelector: fields, labelSelector: labels, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken).ConfigureAwait(false),
            ("events", false) => await core.ListNamespacedEventWithHttpMessagesAsync(namespaceName!, allowWatchBookmarks: bookmarks, fieldSelector: fields, labelSelector: labels, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken).ConfigureAwait(false),
            ("configmaps", true) => await core.ListConfigMapForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: bookmarks, fieldSelector: fields, labelSelector: labels, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken).ConfigureAwait(false),
            ("configmaps", false) => await core.ListNamespacedConfigMapWithHttpMessagesAsync(namespaceName!, allowWatchBookmarks: bookmarks, fieldSelector: fields, labelSelector: labels, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken).ConfigureAwait(false),
            ("namespaces", _) => await core.ListNamespaceWithHttpMessagesAsync(allowWatchBookmarks: bookmarks, fieldSelector: fields, labelSelector: labels, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken).ConfigureAwait(false),
            _ => throw new NotSupportedException($"Watching the core resource {ResourceType} needs a k8s.Kubernetes client (this IKubernetes is a {_kubernetes.GetType().Name}); secrets, events, configmaps and namespaces are watched through any IKubernetes."),
        };
    }

    /// <summary>Opens the watch through the operations; null when the stream ended before its first line.</summary>
    private async Task<HttpOperationResponse?> OpenWatchAsync(string? namespaceName, WatchOptions options, string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await KubernetesErrors.CallAsync(() => OpenWatchCoreAsync(namespaceName, options, cancellationToken), "GET", path).ConfigureAwait(false);
            KubernetesMetrics.Requests.Add(1, new KeyValuePair<string, object?>("method", "GET"), new KeyValuePair<string, object?>("code", 200));
            return response;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // KubernetesClient reads the first line before returning: a stream that ends empty surfaces here.
            return null;
        }
    }

    /// <summary>Reads newline-separated watch events from the response bytes with a pooled pipe (no per-line strings).</summary>
    private async IAsyncEnumerable<WatchEvent<T>> ReadEventsAsync(Stream stream, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
            try
            {
                while (true)
                {
                    ReadResult result;
                    try
                    {
                        result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                    {
                        // The connection dropped: end the sequence; callers re-watch from the last resource version.
                        yield break;
                    }

                    var buffer = result.Buffer;
                    var events = new List<WatchEvent<T>>();
                    while (TryReadLine(ref buffer, out var line))
                    {
                        if (line.Length > 0)
                        {
                            events.Add(ParseEvent(line, path));
                        }
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                    foreach (var e in events)
                    {
                        yield return e;
                    }

                    if (result.IsCompleted)
                    {
                        yield break;
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads watch events from the line reader KubernetesClient puts on a watch response (it has consumed the first line).</summary>
    private async IAsyncEnumerable<WatchEvent<T>> ReadEventsAsync(TextReader lines, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                string? line;
                try
                {
                    // KubernetesClient's reader implements only ReadLineAsync(); the token already cancels its stream.
#pragma warning disable CA2016
                    line = await lines.ReadLineAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
#pragma warning restore CA2016
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                if (line is null)
                {
                    yield break;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                var needed = Encoding.UTF8.GetMaxByteCount(line.Length);
                if (needed > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(needed);
                }

                var length = Encoding.UTF8.GetBytes(line, buffer);
                yield return ParseEvent(new ReadOnlySequence<byte>(buffer, 0, length), path);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    private sealed class QueryBuilder
    {
        private readonly StringBuilder _builder = new();

        public void Add(string key, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            if (_builder.Length > 0)
            {
                _builder.Append('&');
            }

            _builder.Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }

        public override string ToString() => _builder.ToString();
    }
}
