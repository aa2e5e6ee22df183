using System.Text.Json;
using System.Text.Json.Serialization;
using WasmMesh.Model;

namespace WasmMesh.Istio.Extensions;

/// <summary>An Istio TrafficExtension (<c>extensions.istio.io/v1alpha1</c>, Istio 1.30+, alpha).</summary>
public sealed record TrafficExtension : IIstioResource
{
    /// <summary><c>extensions.istio.io/v1alpha1</c>.</summary>
    public const string ApiVersionValue = "extensions.istio.io/v1alpha1";

    /// <summary><c>TrafficExtension</c>.</summary>
    public const string KindValue = "TrafficExtension";

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
    public required TrafficExtensionSpec Spec { get; init; }
}

/// <summary>A TrafficExtension's spec (only the fields WasmMesh writes).</summary>
public sealed record TrafficExtensionSpec
{
    /// <summary>The pods the extension applies to.</summary>
    [JsonPropertyName("selector")]
    public WorkloadSelector? Selector { get; init; }

    /// <summary><c>AUTHN</c>, <c>AUTHZ</c> or <c>STATS</c>; null places it just before the router.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; init; }

    /// <summary>Order within the phase; higher runs first; null sorts last.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    /// <summary>The traffic the extension applies to.</summary>
    [JsonPropertyName("match")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EquatableArray<TrafficSelector> Match { get; init; }

    /// <summary>The Wasm module.</summary>
    [JsonPropertyName("wasm")]
    public required WasmExtension Wasm { get; init; }
}

/// <summary>The Wasm part of a TrafficExtension.</summary>
public sealed record WasmExtension
{
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

    /// <summary><c>FAIL_OPEN</c> or <c>FAIL_RELOAD</c>; null is <c>FAIL_CLOSE</c>.</summary>
    [JsonPropertyName("failStrategy")]
    public string? FailStrategy { get; init; }

    /// <inheritdoc />
    public bool Equals(WasmExtension? other)
        => other is not null && Url == other.Url && Sha256 == other.Sha256 && ImagePullPolicy == other.ImagePullPolicy
           && PluginName == other.PluginName && WasmPluginSpec.JsonEquals(PluginConfig, other.PluginConfig) && FailStrategy == other.FailStrategy;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Url, Sha256, PluginName, FailStrategy);
}
