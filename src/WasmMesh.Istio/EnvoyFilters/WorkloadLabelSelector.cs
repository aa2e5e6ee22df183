using System.Text.Json.Serialization;
using WasmMesh.Model;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>Selects pods by labels (<c>workloadSelector.labels</c>, not <c>matchLabels</c>).</summary>
public sealed record WorkloadLabelSelector
{
    /// <summary>Pods carrying all of these labels are selected.</summary>
    [JsonPropertyName("labels")]
    public required LabelMap Labels { get; init; }
}
