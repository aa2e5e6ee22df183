namespace WasmMesh.Model.Validation;

/// <summary>One problem found in an AutoWasm: the field path, what is wrong, and where in the input it is.</summary>
/// <param name="Path">The field path, e.g. <c>spec.filter.applyPorts[1]</c>; empty for a problem with the whole document.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record ValidationProblem(string Path, string Message)
{
    /// <summary>Where in the input the field is, when read from text.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The problem as one line: <c>[file:line:col: ]path: message</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var prefix = Location is null ? string.Empty : Location + ": ";
        return string.IsNullOrEmpty(Path) ? prefix + Message : $"{prefix}{Path}: {Message}";
    }
}
