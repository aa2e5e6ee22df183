using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>The lifecycle phase shown in <c>kubectl get aw</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AutoWasmPhase>))]
public enum AutoWasmPhase
{
    /// <summary>Accepted, not yet synced.</summary>
    Pending,

    /// <summary>The module is cached and served and the EnvoyFilter is written.</summary>
    Synced,

    /// <summary>The spec is invalid or the module could not be fetched; see the message and conditions.</summary>
    Failed,
}
