using WasmMesh.Model.Validation;

namespace WasmMesh.Model.Yaml;

/// <summary>The input is not well-formed YAML (or is too large or too deeply nested to read safely).</summary>
public sealed class YamlReadException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">Where the problem is.</param>
    /// <param name="reason">What is wrong and how to fix it.</param>
    public YamlReadException(SourceLocation location, string reason)
        : base($"{location}: {reason}")
    {
        Location = location;
        Reason = reason;
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
