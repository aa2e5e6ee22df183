using Microsoft.Extensions.Options;

namespace WasmMesh.Operator;

/// <summary>Validates <see cref="AutoWasmOperatorOptions"/> at start.</summary>
internal sealed class AutoWasmOperatorOptionsValidator : IValidateOptions<AutoWasmOperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, AutoWasmOperatorOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => "WasmMesh operator options: " + p));
    }
}
