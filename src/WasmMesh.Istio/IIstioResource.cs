using WasmMesh.Model;

namespace WasmMesh.Istio;

/// <summary>A generated Istio resource: EnvoyFilter, WasmPlugin or TrafficExtension.</summary>
public interface IIstioResource
{
    /// <summary>The API version.</summary>
    string ApiVersion { get; }

    /// <summary>The kind.</summary>
    string Kind { get; }

    /// <summary>The metadata (name, namespace, labels, owner reference).</summary>
    k8s.Models.V1ObjectMeta Metadata { get; }
}
