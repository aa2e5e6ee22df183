namespace WasmMesh.Istio;

/// <summary>An AutoWasm cannot be written as the chosen Istio output for the target Istio release.</summary>
public sealed class IstioOutputException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="output">The output kind.</param>
    /// <param name="problems">Every problem, each naming the field.</param>
    public IstioOutputException(string output, IReadOnlyList<string> problems)
        : base($"cannot write {output}: {string.Join("; ", problems)}")
    {
        Output = output;
        Problems = problems;
    }

    /// <summary>The output kind, e.g. <c>WasmPlugin</c>.</summary>
    public string Output { get; }

    /// <summary>Every problem.</summary>
    public IReadOnlyList<string> Problems { get; }
}
