using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace WasmMesh.Model;

/// <summary>
/// An AutoWasm resource (<c>wasm.tcm.io/v1alpha1</c>, short name <c>aw</c>): a proxy-wasm module, where it
/// comes from, and the pods it applies to. The one object model of the resource: what <c>wasmc render</c> reads
/// from YAML, what the validator checks, and what the operator lists, watches and writes through KubernetesClient.
/// </summary>
[KubernetesEntity(Group = Group, ApiVersion = Version, Kind = KindValue, PluralName = Plural)]
public sealed record AutoWasm : IKubernetesObject<V1ObjectMeta>, ISpec<AutoWasmSpec>, IStatus<AutoWasmStatus?>
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
    public string ApiVersion { get; set; } = ApiVersionValue;

    /// <summary>The kind, <c>AutoWasm</c>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    /// <summary>Object metadata (KubernetesClient's <see cref="V1ObjectMeta"/>).</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired state.</summary>
    [JsonPropertyName("spec")]
    public required AutoWasmSpec Spec { get; set; }

    /// <summary>The observed state, written by wasmer.</summary>
    [JsonPropertyName("status")]
    public AutoWasmStatus? Status { get; set; }

    /// <summary>The namespace, or <see cref="DefaultNamespace"/> when metadata names none.</summary>
    [JsonIgnore]
    public string NamespaceOrDefault => string.IsNullOrEmpty(Metadata?.NamespaceProperty) ? DefaultNamespace : Metadata.NamespaceProperty;
}
