using WasmMesh.Model.Validation;

namespace WasmMesh.Model;

/// <summary>What <see cref="AutoWasmReader"/> read: the valid resources and every problem, with positions.</summary>
public sealed record AutoWasmReadResult
{
    /// <summary>The resources read, in document order (only when every document was valid).</summary>
    public required IReadOnlyList<AutoWasm> Resources { get; init; }

    /// <summary>Every problem found in every document.</summary>
    public required IReadOnlyList<ValidationProblem> Problems { get; init; }

    /// <summary>Whether the input held at least one resource and no problems.</summary>
    public bool IsValid => Problems.Count == 0 && Resources.Count > 0;
}
