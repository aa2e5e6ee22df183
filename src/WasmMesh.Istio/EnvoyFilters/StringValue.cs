using System.Text.Json.Serialization;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>A <c>google.protobuf.StringValue</c> in its JSON Any form.</summary>
public sealed record StringValue
{
    /// <summary>The Any type URL of StringValue.</summary>
    public const string TypeUrlValue = "type.googleapis.com/google.protobuf.StringValue";

    /// <summary>The type URL.</summary>
    [JsonPropertyName("@type")]
    public string Type { get; init; } = TypeUrlValue;

    /// <summary>The text delivered to the module.</summary>
    [JsonPropertyName("value")]
    public required string Value { get; init; }
}
