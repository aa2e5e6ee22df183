using System.Text.Json;
using System.Text.Json.Serialization;
using WasmMesh.Model;

namespace WasmMesh.Istio.Extensions;

/// <summary>An Istio WasmPlugin (<c>extensions.istio.io/v1alpha1</c>, Istio 1.12+).</summary>
public sealed record WasmPlugin : IIstioResource
{
    /// <summary><c>extensions.istio.io/v1alpha1</c>.</summary>
    public const string ApiVersionValue = "extensions.istio.io/v1alpha1";

    /// <summary><c>WasmPlugin</c>.</summary>
    public const string KindValue = "WasmPlugin";

    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = ApiVersionValue;

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = KindValue;

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public required k8s.Models.V1ObjectMeta Metadata { get; init; }

    /// <summary>The spec.</summary>
    [JsonPropertyName("spec")]
    public required WasmPluginSpec Spec { get; init; }
}

/// <summary>A WasmPlugin's spec (only the fields WasmMesh writes).</summary>
public sealed record WasmPluginSpec
{
    /// <summary>The pods the plugin applies to.</summary>
    [JsonPropertyName("selector")]
    public WorkloadSelector? Selector { get; init; }

    /// <summary>The module URL; <c>http://</c> so that istio-agent fetches it.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; init; }

    /// <summary>The lowercase sha256 hex of the module bytes.</summary>
    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }

    /// <summary><c>IfNotPresent</c>: the module is addressed by digest.</summary>
    [JsonPropertyName("imagePullPolicy")]
    public string? ImagePullPolicy { get; init; }

    /// <summary>The root ID.</summary>
    [JsonPropertyName("pluginName")]
    public string? PluginName { get; init; }

    /// <summary>The plugin configuration (a mapping), sent to the module as JSON text.</summary>
    [JsonPropertyName("pluginConfig")]
    public JsonElement? PluginConfig { get; init; }

    /// <summary><c>AUTHN</c>, <c>AUTHZ</c> or <c>STATS</c>; null places it just before the router.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; init; }

    /// <summary>Order within the phase; higher runs first; null sorts last.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    /// <summary><c>FAIL_OPEN</c> or <c>FAIL_RELOAD</c>; null is <c>FAIL_CLOSE</c>.</summary>
    [JsonPropertyName("failStrategy")]
    public string? FailStrategy { get; init; }

    /// <summary>The traffic the plugin applies to.</summary>
    [JsonPropertyName("match")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EquatableArray<TrafficSelector> Match { get; init; }

    /// <inheritdoc />
    public bool Equals(WasmPluginSpec? other)
        => other is not null && Selector == other.Selector && Url == other.Url && Sha256 == other.Sha256
           && ImagePullPolicy == other.ImagePullPolicy && PluginName == other.PluginName
           && JsonEquals(PluginConfig, other.PluginConfig) && Phase == other.Phase && Priority == other.Priority
           && FailStrategy == other.FailStrategy && Match == other.Match;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Url, Sha256, PluginName, Phase, Priority, FailStrategy, Match);

    internal static bool JsonEquals(JsonElement? a, JsonElement? b) => (a, b) switch
    {
        (null, null) => true,
        ({ } x, { } y) => JsonElement.DeepEquals(x, y),
        _ => false,
    };
}

/// <summary>A traffic selector: direction and ports.</summary>
public sealed record TrafficSelector
{
    /// <summary><c>SERVER</c> (inbound) or <c>CLIENT</c> (outbound and gateways).</summary>
    [JsonPropertyName("mode")]
    public required string Mode { get; init; }

    /// <summary>The ports; empty selects every port.</summary>
    [JsonPropertyName("ports")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EquatableArray<PortSelector> Ports { get; init; }
}

/// <summary>One port.</summary>
public sealed record PortSelector
{
    /// <summary>The port number.</summary>
    [JsonPropertyName("number")]
    public required int Number { get; init; }
}
