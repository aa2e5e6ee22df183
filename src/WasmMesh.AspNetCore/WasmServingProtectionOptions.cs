namespace WasmMesh.AspNetCore;

/// <summary>
/// Opt-in protection of the <c>/wasm/</c> endpoint (<c>AddWasmMeshServingProtection</c>): serve only modules some
/// resource references, and optionally require a per-namespace token in the path, <c>/wasm/{sha256}/{token}</c>.
/// </summary>
public sealed class WasmServingProtectionOptions
{
    /// <summary>The shortest token key accepted, in bytes (HMAC-SHA256 gains nothing from longer keys than its block size).</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>
    /// Serve only digests that some resource references (<see cref="WasmMesh.Sources.IWasmModuleReferences"/>), never
    /// other cached modules: a digest nothing references gets 404 and is not filled on demand. Default
    /// <see langword="false"/>. Implied by <see cref="RequireToken"/>.
    /// </summary>
    public bool ServeReferencedOnly { get; set; }

    /// <summary>
    /// Require a token: modules are served only at <c>/wasm/{sha256}/{token}</c> where the token is
    /// HMAC-SHA256(key, namespace and digest) for a namespace that references the digest; <c>/wasm/{sha256}</c> and any
    /// other token get 404. Default <see langword="false"/>. Needs <see cref="TokenKeyFile"/>.
    /// </summary>
    public bool RequireToken { get; set; }

    /// <summary>
    /// The file holding the token key: at least <see cref="MinimumKeyBytes"/> bytes (a trailing newline is ignored),
    /// typically a Secret mounted as a volume. The file is read again every <see cref="KeyReloadInterval"/>; a changed key
    /// rotates: new tokens use it, and tokens of the previous key stay valid for <see cref="PreviousKeyValidity"/>.
    /// No default.
    /// </summary>
    public string? TokenKeyFile { get; set; }

    /// <summary>How long tokens of the previous key stay valid after a rotation. Default 15 minutes.</summary>
    public TimeSpan PreviousKeyValidity { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often <see cref="TokenKeyFile"/> is read again. Default 30 seconds.</summary>
    public TimeSpan KeyReloadInterval { get; set; } = TimeSpan.FromSeconds(30);
}
