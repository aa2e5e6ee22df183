using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>A core <c>v1</c> Secret.</summary>
public sealed record Secret : KubernetesObject
{
    /// <summary>The <c>kubernetes.io/dockerconfigjson</c> secret type used for registry pull secrets.</summary>
    public const string DockerConfigJsonType = "kubernetes.io/dockerconfigjson";

    /// <summary>The data key of a <see cref="DockerConfigJsonType"/> secret.</summary>
    public const string DockerConfigJsonKey = ".dockerconfigjson";

    /// <summary>Creates a Secret with <c>apiVersion: v1</c> and <c>kind: Secret</c>.</summary>
    public Secret()
    {
        ApiVersion = "v1";
        Kind = "Secret";
    }

    /// <summary>The secret type, e.g. <c>Opaque</c> or <see cref="DockerConfigJsonType"/>.</summary>
    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    /// <summary>The data, base64-encoded on the wire.</summary>
    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, byte[]>? Data { get; init; }

    /// <summary>Write-only plain-text data the server merges into <see cref="Data"/>.</summary>
    [JsonPropertyName("stringData")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? StringData { get; init; }

    /// <summary>True when the data can no longer be changed.</summary>
    [JsonPropertyName("immutable")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Immutable { get; init; }
}
