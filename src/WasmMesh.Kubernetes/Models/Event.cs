using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>A core <c>v1</c> Event, as shown by <c>kubectl describe</c> and <c>kubectl get events</c>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Kubernetes kind name.")]
public sealed record Event : KubernetesObject
{
    /// <summary>The <c>Normal</c> event type.</summary>
    public const string NormalType = "Normal";

    /// <summary>The <c>Warning</c> event type.</summary>
    public const string WarningType = "Warning";

    /// <summary>Creates an Event with <c>apiVersion: v1</c> and <c>kind: Event</c>.</summary>
    public Event()
    {
        ApiVersion = "v1";
        Kind = "Event";
    }

    /// <summary>The object the event is about.</summary>
    [JsonPropertyName("involvedObject")]
    public ObjectReference InvolvedObject { get; init; } = new();

    /// <summary>A short CamelCase reason, e.g. <c>Synced</c>.</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    /// <summary>A human-readable message.</summary>
    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary><see cref="NormalType"/> or <see cref="WarningType"/>.</summary>
    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    /// <summary>How many times the event occurred.</summary>
    [JsonPropertyName("count")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Count { get; init; }

    /// <summary>When the event first occurred.</summary>
    [JsonPropertyName("firstTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? FirstTimestamp { get; init; }

    /// <summary>When the event last occurred.</summary>
    [JsonPropertyName("lastTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastTimestamp { get; init; }

    /// <summary>When the event was first observed, with microsecond precision.</summary>
    [JsonPropertyName("eventTime")]
    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>The reporting component.</summary>
    [JsonPropertyName("source")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EventSource? Source { get; init; }

    /// <summary>The controller that emitted the event, e.g. <c>wasm.tcm.io/wasmer</c>.</summary>
    [JsonPropertyName("reportingComponent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReportingComponent { get; init; }

    /// <summary>The instance (pod) of the reporting controller.</summary>
    [JsonPropertyName("reportingInstance")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReportingInstance { get; init; }

    /// <summary>What was done, e.g. <c>Reconcile</c>.</summary>
    [JsonPropertyName("action")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Action { get; init; }
}
