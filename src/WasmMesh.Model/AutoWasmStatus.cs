using System.Text.Json.Serialization;
using k8s;

namespace WasmMesh.Model;

/// <summary>The observed state of an <see cref="AutoWasm"/>.</summary>
public sealed record AutoWasmStatus
{
    /// <summary>The phase.</summary>
    [JsonPropertyName("phase")]
    public AutoWasmPhase? Phase { get; init; }

    /// <summary>What happened, in one or more lines (every validation problem when Failed).</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>The <c>metadata.generation</c> this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    /// <summary>Conditions.</summary>
    [JsonPropertyName("conditions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EquatableArray<StatusCondition> Conditions { get; init; }

    /// <summary>The sha256 of the module bytes, which Envoy verifies; written as bare lowercase hex.</summary>
    [JsonPropertyName("sha256")]
    [JsonConverter(typeof(Sha256HexDigestJsonConverter))]
    public Digest? Sha256 { get; init; }

    /// <summary>The manifest digest the image reference resolved to (registry sources only).</summary>
    [JsonPropertyName("manifestDigest")]
    [JsonConverter(typeof(DigestJsonConverter))]
    public Digest? ManifestDigest { get; init; }

    /// <summary>The name of the EnvoyFilter written for this AutoWasm (EnvoyFilter and EnvoyFilterECDS outputs).</summary>
    [JsonPropertyName("envoyFilter")]
    public string? EnvoyFilter { get; init; }

    /// <summary>The Istio resource written for this AutoWasm: its kind and name.</summary>
    [JsonPropertyName("resource")]
    public OutputReference? Resource { get; init; }

    /// <summary>When the EnvoyFilter was last written or confirmed.</summary>
    [JsonPropertyName("lastSyncTime")]
    [JsonConverter(typeof(KubernetesJson.KubernetesDateTimeOffsetConverter))]
    public DateTimeOffset? LastSyncTime { get; init; }

    /// <summary>Where the module was actually fetched from: a mirror's reference, or the source itself.</summary>
    [JsonPropertyName("fetchedFrom")]
    public string? FetchedFrom { get; init; }
}
