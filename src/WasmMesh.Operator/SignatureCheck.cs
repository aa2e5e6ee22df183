namespace WasmMesh.Operator;

/// <summary>The outcome of checking an AutoWasm's module signature (see <see cref="AutoWasmSignatureVerifier"/>).</summary>
/// <param name="Verified">Whether a signature verified with one of the AutoWasm's keys.</param>
/// <param name="Reason">A CamelCase reason for the <c>Verified</c> condition.</param>
/// <param name="Message">What was checked and what was found, for the condition and events.</param>
/// <param name="KeyId">The id of the key that verified the signature (<c>sha256:…</c> of its DER public key).</param>
/// <param name="KeySource">The Secret and data key the verifying key came from.</param>
internal sealed record SignatureCheck(bool Verified, string Reason, string Message, string? KeyId = null, string? KeySource = null)
{
    /// <summary>The condition type carrying the outcome.</summary>
    public const string ConditionType = "Verified";
}
