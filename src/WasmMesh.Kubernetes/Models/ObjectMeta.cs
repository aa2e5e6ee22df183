using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>Kubernetes object metadata (<c>metav1.ObjectMeta</c>).</summary>
/// <remarks>Fields this type does not model are kept in <see cref="AdditionalProperties"/> and written back unchanged.</remarks>
public sealed record ObjectMeta
{
    /// <summary>The object name.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>A prefix from which the server generates a unique name when <see cref="Name"/> is empty.</summary>
    [JsonPropertyName("generateName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GenerateName { get; init; }

    /// <summary>The namespace; null for cluster-scoped objects.</summary>
    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Namespace { get; init; }

    /// <summary>The unique id the server assigned.</summary>
    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uid { get; init; }

    /// <summary>The opaque version used for optimistic concurrency and watches.</summary>
    [JsonPropertyName("resourceVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResourceVersion { get; init; }

    /// <summary>The generation of the desired state; the server bumps it on spec changes.</summary>
    [JsonPropertyName("generation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Generation { get; init; }

    /// <summary>Labels.</summary>
    [JsonPropertyName("labels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Annotations.</summary>
    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The objects this object depends on; it is garbage-collected when they are gone.</summary>
    [JsonPropertyName("ownerReferences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OwnerReference>? OwnerReferences { get; init; }

    /// <summary>Finalizers that must be removed before the object is deleted.</summary>
    [JsonPropertyName("finalizers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Finalizers { get; init; }

    /// <summary>When the object was created (server-set).</summary>
    [JsonPropertyName("creationTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>When deletion was requested (server-set); the object lingers until its finalizers are removed.</summary>
    [JsonPropertyName("deletionTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? DeletionTimestamp { get; init; }

    /// <summary>The grace period of a pending deletion, in seconds.</summary>
    [JsonPropertyName("deletionGracePeriodSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DeletionGracePeriodSeconds { get; init; }

    /// <summary>Server-side apply field ownership, passed through unchanged.</summary>
    [JsonPropertyName("managedFields")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<JsonElement>? ManagedFields { get; init; }

    /// <summary>Metadata fields this type does not model, kept for round trips.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
