namespace WasmMesh;

/// <summary>
/// The root of every exception the WasmMesh SDK throws on purpose. Catch this type to handle any
/// SDK failure; catch a derived type for its typed data.
/// </summary>
/// <remarks>Messages say what was wrong, where, and what to do about it. They never contain credentials.</remarks>
public abstract class WasmMeshException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong, where, and how to fix it.</param>
    protected WasmMeshException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What was wrong, where, and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    protected WasmMeshException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
