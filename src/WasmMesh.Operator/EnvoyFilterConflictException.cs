namespace WasmMesh.Operator;

/// <summary>An EnvoyFilter with the AutoWasm's name exists and is not managed by that AutoWasm; it is never overwritten.</summary>
public sealed class EnvoyFilterConflictException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What conflicts and how to resolve it.</param>
    public EnvoyFilterConflictException(string message)
        : base(message)
    {
    }
}
