using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>The specification of a <see cref="Lease"/>.</summary>
public sealed record LeaseSpec
{
    /// <summary>The identity of the current holder.</summary>
    [JsonPropertyName("holderIdentity")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HolderIdentity { get; init; }

    /// <summary>How long, in seconds, candidates wait after <see cref="RenewTime"/> before taking over.</summary>
    [JsonPropertyName("leaseDurationSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LeaseDurationSeconds { get; init; }

    /// <summary>When the current holder acquired the lease (microsecond precision on the wire).</summary>
    [JsonPropertyName("acquireTime")]
    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? AcquireTime { get; init; }

    /// <summary>When the holder last renewed the lease (microsecond precision on the wire).</summary>
    [JsonPropertyName("renewTime")]
    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? RenewTime { get; init; }

    /// <summary>How many times the lease changed holders.</summary>
    [JsonPropertyName("leaseTransitions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LeaseTransitions { get; init; }

    /// <summary>The coordinated leader election strategy, when one is used.</summary>
    [JsonPropertyName("strategy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Strategy { get; init; }

    /// <summary>The preferred holder under a coordinated strategy.</summary>
    [JsonPropertyName("preferredHolder")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PreferredHolder { get; init; }
}
