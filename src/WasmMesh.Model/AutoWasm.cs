using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>
/// An AutoWasm resource (<c>wasm.tcm.io/v1alpha1</c>, short name <c>aw</c>): a proxy-wasm module, where it
/// comes from, and the pods it applies to.
/// </summary>
public sealed record AutoWasm
{
    /// <summary>The API group.</summary>
    public const string Group = "wasm.tcm.io";

    /// <summary>The API version of this type.</summary>
    public const string Version = "v1alpha1";

    /// <summary><c>wasm.tcm.io/v1alpha1</c>.</summary>
    public const string ApiVersionValue = Group + "/" + Version;

    /// <summary><c>AutoWasm</c>.</summary>
    public const string KindValue = "AutoWasm";

    /// <summary>The resource's plural name.</summary>
    public const string Plural = "autowasms";

    /// <summary>The namespace assumed when metadata names none.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>The API version, <c>wasm.tcm.io/v1alpha1</c>.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = ApiVersionValue;

    /// <summary>The kind, <c>AutoWasm</c>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = KindValue;

    /// <summary>Object metadata.</summary>
    [JsonPropertyName("metadata")]
    public ObjectMetadata Metadata { get; init; } = new();

    /// <summary>The desired state.</summary>
    [JsonPropertyName("spec")]
    public required AutoWasmSpec Spec { get; init; }

    /// <summary>The observed state, written by wasmer.</summary>
    [JsonPropertyName("status")]
    public AutoWasmStatus? Status { get; init; }

    /// <summary>The namespace, or <see cref="DefaultNamespace"/> when metadata names none.</summary>
    [JsonIgnore]
    public string NamespaceOrDefault => string.IsNullOrEmpty(Metadata.Namespace) ? DefaultNamespace : Metadata.Namespace;
}
