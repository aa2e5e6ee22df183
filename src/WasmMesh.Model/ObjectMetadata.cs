using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>The part of Kubernetes object metadata WasmMesh reads and writes.</summary>
public sealed record ObjectMetadata
{
    /// <summary>The object name (a DNS-1123 subdomain).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The namespace (a DNS-1123 label); <c>default</c> when omitted.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    /// <summary>The server-assigned unique id; known for objects read from a cluster.</summary>
    [JsonPropertyName("uid")]
    public string? Uid { get; init; }

    /// <summary>The opaque version used for optimistic concurrency.</summary>
    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; init; }

    /// <summary>The spec generation, bumped by the server on every spec change.</summary>
    [JsonPropertyName("generation")]
    public long? Generation { get; init; }

    /// <summary>Labels.</summary>
    [JsonPropertyName("labels")]
    public LabelMap? Labels { get; init; }

    /// <summary>Annotations.</summary>
    [JsonPropertyName("annotations")]
    public LabelMap? Annotations { get; init; }

    /// <summary>Owners of this object; the garbage collector deletes it when they are gone.</summary>
    [JsonPropertyName("ownerReferences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EquatableArray<OwnerReference> OwnerReferences { get; init; }

    /// <summary>When the object was created.</summary>
    [JsonPropertyName("creationTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>When deletion was requested.</summary>
    [JsonPropertyName("deletionTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? DeletionTimestamp { get; init; }
}
