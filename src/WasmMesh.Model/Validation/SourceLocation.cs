namespace WasmMesh.Model.Validation;

/// <summary>A position in an input file (1-based line and column).</summary>
/// <param name="Source">The file name or other input name.</param>
/// <param name="Line">The line, from 1.</param>
/// <param name="Column">The column, from 1.</param>
public sealed record SourceLocation(string Source, int Line, int Column)
{
    /// <summary><c>source:line:column</c>.</summary>
    /// <returns>The location text.</returns>
    public override string ToString() => $"{Source}:{Line}:{Column}";
}
