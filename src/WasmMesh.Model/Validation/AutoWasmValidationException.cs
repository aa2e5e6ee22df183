namespace WasmMesh.Model.Validation;

/// <summary>An AutoWasm (or the text it was read from) is invalid; <see cref="Problems"/> lists every problem.</summary>
public sealed class AutoWasmValidationException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problems">Every problem found.</param>
    public AutoWasmValidationException(IReadOnlyList<ValidationProblem> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    private static string Format(IReadOnlyList<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 1
            ? "invalid AutoWasm: " + problems[0]
            : $"invalid AutoWasm ({problems.Count} problems):{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
    }
}
