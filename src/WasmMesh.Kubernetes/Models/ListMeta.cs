using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>List metadata (<c>metav1.ListMeta</c>).</summary>
public sealed record ListMeta
{
    /// <summary>The resource version the list was read at; start a watch from it.</summary>
    [JsonPropertyName("resourceVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResourceVersion { get; init; }

    /// <summary>The token for the next page, or null/empty when this is the last page.</summary>
    [JsonPropertyName("continue")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Continue { get; init; }

    /// <summary>How many items remain after this page, when the server knows.</summary>
    [JsonPropertyName("remainingItemCount")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? RemainingItemCount { get; init; }
}
