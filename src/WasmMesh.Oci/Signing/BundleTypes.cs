using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>The parts of a sigstore bundle (v0.3) read for offline verification with a public key.</summary>
internal sealed record SigstoreBundle
{
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("dsseEnvelope")]
    public DsseEnvelope? DsseEnvelope { get; init; }

    [JsonPropertyName("messageSignature")]
    public System.Text.Json.JsonElement? MessageSignature { get; init; }
}

/// <summary>A DSSE envelope: a base64 payload, its type and signatures over PAE(type, payload).</summary>
internal sealed record DsseEnvelope
{
    [JsonPropertyName("payload")]
    public string? Payload { get; init; }

    [JsonPropertyName("payloadType")]
    public string? PayloadType { get; init; }

    [JsonPropertyName("signatures")]
    public IReadOnlyList<DsseSignature>? Signatures { get; init; }
}

/// <summary>One DSSE signature.</summary>
internal sealed record DsseSignature
{
    [JsonPropertyName("sig")]
    public string? Sig { get; init; }

    [JsonPropertyName("keyid")]
    public string? KeyId { get; init; }
}

/// <summary>An in-toto statement: what was signed (subjects with digests) and the predicate type.</summary>
internal sealed record InTotoStatement
{
    [JsonPropertyName("_type")]
    public string? Type { get; init; }

    [JsonPropertyName("subject")]
    public IReadOnlyList<InTotoSubject>? Subject { get; init; }

    [JsonPropertyName("predicateType")]
    public string? PredicateType { get; init; }
}

/// <summary>An in-toto subject.</summary>
internal sealed record InTotoSubject
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("digest")]
    public IReadOnlyDictionary<string, string>? Digest { get; init; }
}
