using System.Text.Json.Serialization;

namespace WasmMesh.Kubernetes;

/// <summary>The <c>ExecCredential</c> an exec credential plugin prints.</summary>
internal sealed record ExecCredential
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("status")]
    public ExecCredentialStatus? Status { get; init; }
}

/// <summary>The status of an <see cref="ExecCredential"/>.</summary>
internal sealed record ExecCredentialStatus
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("expirationTimestamp")]
    public DateTimeOffset? ExpirationTimestamp { get; init; }
}

/// <summary>Source-generated JSON metadata for internal wire types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExecCredential))]
internal sealed partial class InternalJsonContext : JsonSerializerContext
{
}
