using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>What happens when a module's signature does not verify (<c>spec.verify.mode</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VerificationMode>))]
public enum VerificationMode
{
    /// <summary>The default: nothing unverified is fetched into the cache, served or written; the AutoWasm fails.</summary>
    Enforce,

    /// <summary>The result is only reported (a <c>Verified</c> condition that is False and a Warning event); the module is still deployed.</summary>
    Audit,
}
