using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>The filter part of an AutoWasm spec.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WasmFilterSpec
{
    /// <summary>Ports the filter applies to; empty applies it to every port.</summary>
    [JsonPropertyName("applyPorts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EquatableArray<int> ApplyPorts { get; init; }

    /// <summary>The root ID; filters sharing it in one VM share a RootContext.</summary>
    [JsonPropertyName("rootID")]
    public string? RootId { get; init; }

    /// <summary>The VM ID; when empty one is derived from the namespace and name.</summary>
    [JsonPropertyName("vmID")]
    public string? VmId { get; init; }

    /// <summary>Where the module comes from.</summary>
    [JsonPropertyName("source")]
    public required WasmSourceSpec Source { get; init; }

    /// <summary>Plugin configuration (any JSON), delivered to the module as a JSON string.</summary>
    [JsonPropertyName("configuration")]
    public JsonElement? Configuration { get; init; }

    /// <summary>The traffic the filter applies to; <see cref="TrafficContext.SidecarInbound"/> when unset.</summary>
    [JsonPropertyName("context")]
    public TrafficContext? Context { get; init; }

    /// <summary>Whether requests pass through when the module fails to load or crashes; false (fail closed) when unset.
    /// A synonym of <see cref="FailurePolicy"/> <c>FailOpen</c>.</summary>
    [JsonPropertyName("failOpen")]
    public bool? FailOpen { get; init; }

    /// <summary>What happens to requests when the module fails; <see cref="Model.FailurePolicy.FailClosed"/> when unset.</summary>
    [JsonPropertyName("failurePolicy")]
    public FailurePolicy? FailurePolicy { get; init; }

    /// <summary>Where in Istio's HTTP filter chain the filter runs; unset keeps it just before the router.</summary>
    [JsonPropertyName("phase")]
    public FilterPhase? Phase { get; init; }

    /// <summary>Order among filters of the same phase: higher runs first. Unset sorts after every set priority.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    /// <summary>The failure policy in effect: <see cref="FailurePolicy"/>, else <see cref="FailOpen"/>, else fail closed.</summary>
    [JsonIgnore]
    public FailurePolicy EffectiveFailurePolicy => FailurePolicy ?? (FailOpen == true ? Model.FailurePolicy.FailOpen : Model.FailurePolicy.FailClosed);

    /// <inheritdoc />
    public bool Equals(WasmFilterSpec? other)
        => other is not null
           && ApplyPorts == other.ApplyPorts
           && string.Equals(RootId, other.RootId, StringComparison.Ordinal)
           && string.Equals(VmId, other.VmId, StringComparison.Ordinal)
           && Source == other.Source
           && ConfigurationEquals(Configuration, other.Configuration)
           && Context == other.Context
           && FailOpen == other.FailOpen
           && FailurePolicy == other.FailurePolicy
           && Phase == other.Phase
           && Priority == other.Priority;

    /// <inheritdoc />
    public override int GetHashCode()
        => HashCode.Combine(HashCode.Combine(ApplyPorts, RootId, VmId, Source, Configuration?.GetRawText(), Context, FailOpen), FailurePolicy, Phase, Priority);

    private static bool ConfigurationEquals(JsonElement? a, JsonElement? b)
        => (a, b) switch
        {
            (null, null) => true,
            ({ } x, { } y) => JsonElement.DeepEquals(x, y),
            _ => false,
        };
}
