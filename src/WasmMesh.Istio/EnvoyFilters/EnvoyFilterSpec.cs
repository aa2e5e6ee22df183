using System.Text.Json.Serialization;
using WasmMesh.Model;

namespace WasmMesh.Istio.EnvoyFilters;

/// <summary>The spec of an EnvoyFilter.</summary>
public sealed record EnvoyFilterSpec
{
    /// <summary>The patches, applied in order.</summary>
    [JsonPropertyName("configPatches")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EquatableArray<EnvoyConfigObjectPatch> ConfigPatches { get; init; }

    /// <summary>Selects the pods the patches apply to; without it they apply to the whole namespace.</summary>
    [JsonPropertyName("workloadSelector")]
    public WorkloadLabelSelector? WorkloadSelector { get; init; }

    /// <summary>The order among EnvoyFilters (Istio 1.11+); omitted when null.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }
}
