using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>One cause of a failure (<c>metav1.StatusCause</c>).</summary>
public sealed record KubernetesStatusCause
{
    /// <summary>A machine-readable cause, e.g. <c>FieldValueInvalid</c> or <c>FieldManagerConflict</c>.</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>The field path the cause is about, e.g. <c>.spec.selector</c>.</summary>
    [JsonPropertyName("field")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; init; }
}
