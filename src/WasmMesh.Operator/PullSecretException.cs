namespace WasmMesh.Operator;

/// <summary>An AutoWasm's pull secret is missing or unusable.</summary>
public sealed class PullSecretException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="namespaceName">The secret's namespace.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    public PullSecretException(string namespaceName, string name, string message)
        : base(message)
    {
        Namespace = namespaceName;
        Name = name;
    }

    /// <summary>The secret's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The secret's name.</summary>
    public string Name { get; }
}
