using WasmMesh.Model;

namespace WasmMesh.Istio;

/// <summary>The Istio resource generated for an AutoWasm and what the user should know about it.</summary>
/// <param name="Output">The output kind.</param>
/// <param name="Resource">The resource: an EnvoyFilter, WasmPlugin or TrafficExtension.</param>
/// <param name="Notes">
/// Conditions under which the resource does not take effect, e.g. an EnvoyFilter phase anchor that exists only with a
/// policy; empty when none.
/// </param>
public sealed record IstioOutput(IstioOutputKind Output, IIstioResource Resource, IReadOnlyList<string> Notes)
{
    /// <summary>The reference to record in the AutoWasm's status.</summary>
    public OutputReference Reference => new() { ApiVersion = Resource.ApiVersion, Kind = Resource.Kind, Name = Resource.Metadata.Name!, Output = Output };
}
