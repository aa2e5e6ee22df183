using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace WasmMesh.Kubernetes;

/// <summary>The HTTP implementation of <see cref="IKubernetesResourceClient{T}"/>.</summary>
internal sealed class KubernetesResourceClient<T> : IKubernetesResourceClient<T>
    where T : class
{
    private readonly KubernetesClient _client;
    private readonly JsonTypeInfo<T> _typeInfo;

    public KubernetesResourceClient(KubernetesClient client, KubernetesResourceType resourceType, JsonTypeInfo<T> typeInfo)
    {
        _client = client;
        ResourceType = resourceType;
        _typeInfo = typeInfo;
    }

    public KubernetesResourceType ResourceType { get; }

    public async Task<T> GetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, ResourceType.ObjectPath(namespaceName, name), null, null, false, cancellationToken).ConfigureAwait(false);
        return await ReadObjectAsync(response, cancellationToken).ConfigureAwait(false);
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

    public async Task<KubernetesList<T>> ListAsync(string? namespaceName = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (meta, items) = await ListWithMetadataAsync(namespaceName, options, cancellationToken).ConfigureAwait(false);
        var list = new T[items.Count];
        var metadata = new ObjectMeta[items.Count];
        for (var i = 0; i < list.Length; i++)
        {
            (list[i], metadata[i]) = items[i];
        }

        return new KubernetesList<T> { Metadata = meta, Items = list, ItemMetadata = metadata };
    }

    internal async Task<(ListMeta Metadata, List<(T Item, ObjectMeta Metadata)> Items)> ListWithMetadataAsync(string? namespaceName, ListOptions? options, CancellationToken cancellationToken)
    {
        var query = new QueryBuilder();
        if (options is not null)
        {
            query.Add("labelSelector", options.LabelSelector);
            query.Add("fieldSelector", options.FieldSelector);
            query.Add("limit", options.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            query.Add("continue", options.Continue);
            query.Add("resourceVersion", options.ResourceVersion);
        }

        var path = ResourceType.CollectionPath(namespaceName);
        using var response = await _client.SendAsync(HttpMethod.Get, path, query.ToString(), null, false, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return KubernetesJson.ParseList(bytes, _typeInfo);
        }
        catch (JsonException ex)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, new KubernetesStatus { Status = "Failure", Message = $"the list response is not a valid {ResourceType.Kind} list: {ex.Message}" }, "GET", path);
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
        using var response = await _client.SendAsync(HttpMethod.Get, path, query.ToString(), null, true, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
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
                    catch (IOException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The connection dropped: end the sequence; callers re-watch from the last resource version.
                        yield break;
                    }
                    catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
                    {
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

    public Task<T> CreateAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (body, meta) = KubernetesJson.SerializeForWrite(item, _typeInfo, ResourceType, forApply: false);
        return SendObjectAsync(HttpMethod.Post, ResourceType.CollectionPath(NamespaceOf(meta)), WriteQuery(options), JsonBody(body, "application/json"), cancellationToken);
    }

    public Task<T> ReplaceAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Replace(item, string.Empty, options, cancellationToken);

    public Task<T> ReplaceStatusAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Replace(item, "/status", options, cancellationToken);

    public Task<T> PatchAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Patch(namespaceName, name, string.Empty, patch, WriteQuery(options), cancellationToken);

    public Task<T> PatchStatusAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Patch(namespaceName, name, "/status", patch, WriteQuery(options), cancellationToken);

    public Task<T> ApplyAsync(T item, ApplyOptions options, CancellationToken cancellationToken = default) =>
        Apply(item, string.Empty, options, cancellationToken);

    public Task<T> ApplyStatusAsync(T item, ApplyOptions options, CancellationToken cancellationToken = default) =>
        Apply(item, "/status", options, cancellationToken);

    public async Task<T?> DeleteAsync(string? namespaceName, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        HttpContent? content = null;
        if (options is not null)
        {
            using var ms = new MemoryStream();
            using (var writer = new Utf8JsonWriter(ms))
            {
                writer.WriteStartObject();
                writer.WriteString("apiVersion", "v1");
                writer.WriteString("kind", "DeleteOptions");
                if (options.PropagationPolicy is not null)
                {
                    writer.WriteString("propagationPolicy", options.PropagationPolicy);
                }

                if (options.GracePeriodSeconds is { } grace)
                {
                    writer.WriteNumber("gracePeriodSeconds", grace);
                }

                if (options.DryRun)
                {
                    writer.WriteStartArray("dryRun");
                    writer.WriteStringValue("All");
                    writer.WriteEndArray();
                }

                if (options.PreconditionUid is not null || options.PreconditionResourceVersion is not null)
                {
                    writer.WriteStartObject("preconditions");
                    if (options.PreconditionUid is not null)
                    {
                        writer.WriteString("uid", options.PreconditionUid);
                    }

                    if (options.PreconditionResourceVersion is not null)
                    {
                        writer.WriteString("resourceVersion", options.PreconditionResourceVersion);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            content = JsonBody(ms.ToArray(), "application/json");
        }

        using var response = await _client.SendAsync(HttpMethod.Delete, ResourceType.ObjectPath(namespaceName, name), null, content, false, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0 || KubernetesJson.IsStatus(bytes))
        {
            return null;
        }

        return JsonSerializer.Deserialize(bytes, _typeInfo);
    }

    private Task<T> Replace(T item, string subresource, WriteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (body, meta) = KubernetesJson.SerializeForWrite(item, _typeInfo, ResourceType, forApply: false);
        var path = ResourceType.ObjectPath(NamespaceOf(meta), NameOf(meta)) + subresource;
        return SendObjectAsync(HttpMethod.Put, path, WriteQuery(options), JsonBody(body, "application/json"), cancellationToken);
    }

    private Task<T> Apply(T item, string subresource, ApplyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.FieldManager);
        var (body, meta) = KubernetesJson.SerializeForWrite(item, _typeInfo, ResourceType, forApply: true);
        var query = new QueryBuilder();
        query.Add("fieldManager", options.FieldManager);
        query.Add("force", options.Force ? "true" : null);
        query.Add("dryRun", options.DryRun ? "All" : null);
        var path = ResourceType.ObjectPath(NamespaceOf(meta), NameOf(meta)) + subresource;
        return SendObjectAsync(HttpMethod.Patch, path, query.ToString(), JsonBody(body, "application/apply-patch+yaml"), cancellationToken);
    }

    private Task<T> Patch(string? namespaceName, string name, string subresource, KubernetesPatch patch, string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var path = ResourceType.ObjectPath(namespaceName, name) + subresource;
        return SendObjectAsync(HttpMethod.Patch, path, query, JsonBody(Encoding.UTF8.GetBytes(patch.Content), patch.MediaType), cancellationToken);
    }

    private async Task<T> SendObjectAsync(HttpMethod method, string path, string? query, HttpContent content, CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(method, path, query, content, false, cancellationToken).ConfigureAwait(false);
        return await ReadObjectAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(bytes, _typeInfo)
            ?? throw new KubernetesApiException(HttpStatusCode.InternalServerError, new KubernetesStatus { Message = "the server returned an empty body" }, response.RequestMessage?.Method.Method ?? "?", response.RequestMessage?.RequestUri?.AbsolutePath ?? "?");
    }

    private string WriteQuery(WriteOptions? options)
    {
        var query = new QueryBuilder();
        query.Add("fieldManager", options?.FieldManager ?? _client.Options.FieldManager);
        query.Add("dryRun", options?.DryRun == true ? "All" : null);
        return query.ToString();
    }

    private string? NamespaceOf(ObjectMeta meta)
    {
        if (!ResourceType.Namespaced)
        {
            return null;
        }

        return string.IsNullOrEmpty(meta.Namespace) ? _client.Configuration.Namespace : meta.Namespace;
    }

    private string NameOf(ObjectMeta meta) =>
        string.IsNullOrEmpty(meta.Name)
            ? throw new InvalidOperationException($"The {ResourceType.Kind} has no metadata.name: set it before writing the object.")
            : meta.Name;

    private static ByteArrayContent JsonBody(byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

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
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, new KubernetesStatus { Message = $"the watch stream sent invalid JSON: {ex.Message}" }, "GET", path);
        }

        if (start < 0)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, new KubernetesStatus { Message = $"the watch event '{type}' has no object" }, "GET", path);
        }

        var obj = bytes[start..end];
        var eventType = type switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => (WatchEventType?)null,
            _ => throw new KubernetesApiException(HttpStatusCode.InternalServerError, new KubernetesStatus { Message = $"unknown watch event type '{type}'" }, "GET", path),
        };

        if (eventType is null)
        {
            var status = JsonSerializer.Deserialize(obj, KubernetesJsonContext.Default.KubernetesStatus) ?? new KubernetesStatus();
            throw new KubernetesApiException(KubernetesClient.StatusCodeOf(status), status, "WATCH", path);
        }

        var (item, meta) = KubernetesJson.ParseItem(obj, _typeInfo);
        return new WatchEvent<T> { Type = eventType.Value, Object = item, Metadata = meta };
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
