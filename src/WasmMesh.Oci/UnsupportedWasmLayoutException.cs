namespace WasmMesh.Oci;

/// <summary>A manifest holds no wasm module in any layout this client recognises.</summary>
public sealed class UnsupportedWasmLayoutException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reference">The reference that was pulled.</param>
    /// <param name="reason">What was seen and why it is not a wasm layout.</param>
    public UnsupportedWasmLayoutException(string reference, string reason)
        : base($"{reference} holds no wasm module in a known layout: {reason}")
    {
        Reference = reference;
        Reason = reason;
    }

    /// <summary>The reference that was pulled.</summary>
    public string Reference { get; }

    /// <summary>What was seen.</summary>
    public string Reason { get; }
}
