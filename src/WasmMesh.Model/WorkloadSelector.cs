using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>Selects pods by labels.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WorkloadSelector
{
    /// <summary>Pods carrying all of these labels are selected.</summary>
    [JsonPropertyName("matchLabels")]
    public LabelMap? MatchLabels { get; init; }
}
