using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>The desired state of an <see cref="AutoWasm"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AutoWasmSpec
{
    /// <summary>The filter: module source, ports, IDs and options.</summary>
    [JsonPropertyName("filter")]
    public required WasmFilterSpec Filter { get; init; }

    /// <summary>The name of a <c>kubernetes.io/dockerconfigjson</c> Secret in the AutoWasm's own namespace used to pull the image.</summary>
    [JsonPropertyName("secret")]
    public string? Secret { get; init; }

    /// <summary>Selects the pods the filter applies to; without it the filter applies to every pod in the namespace.</summary>
    [JsonPropertyName("selector")]
    public WorkloadSelector? Selector { get; init; }

    /// <summary>The kind of Istio resource to write; when unset, wasmer's default (EnvoyFilter unless configured otherwise).</summary>
    [JsonPropertyName("output")]
    public IstioOutputKind? Output { get; init; }

    /// <summary>Signature verification of the module; without it modules are deployed unsigned.</summary>
    [JsonPropertyName("verify")]
    public VerifySpec? Verify { get; init; }
}
