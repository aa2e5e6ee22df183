using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>A <c>metav1.Status</c> response: the body of every API error.</summary>
public sealed record KubernetesStatus
{
    /// <summary><c>v1</c>.</summary>
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; } = "v1";

    /// <summary><c>Status</c>.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; init; } = "Status";

    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>A machine-readable reason such as <c>NotFound</c>, <c>Conflict</c>, <c>AlreadyExists</c>, <c>Expired</c>.</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    /// <summary>Details about the object the status is about.</summary>
    [JsonPropertyName("details")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public KubernetesStatusDetails? Details { get; init; }

    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Code { get; init; }
}
