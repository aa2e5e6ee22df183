using Microsoft.Extensions.Options;

namespace WasmMesh.AspNetCore;

/// <summary>Validates <see cref="WasmServingProtectionOptions"/> at start.</summary>
internal sealed class WasmServingProtectionOptionsValidator : IValidateOptions<WasmServingProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, WasmServingProtectionOptions options)
    {
        var errors = new List<string>();
        if (options.RequireToken)
        {
            if (string.IsNullOrWhiteSpace(options.TokenKeyFile))
            {
                errors.Add($"{nameof(WasmServingProtectionOptions)}.{nameof(WasmServingProtectionOptions.TokenKeyFile)} is required with {nameof(WasmServingProtectionOptions.RequireToken)}: the file holding the token key (a mounted Secret)");
            }
            else if (!File.Exists(options.TokenKeyFile))
            {
                errors.Add($"{nameof(WasmServingProtectionOptions)}.{nameof(WasmServingProtectionOptions.TokenKeyFile)}: '{options.TokenKeyFile}' does not exist");
            }
        }

        if (options.PreviousKeyValidity < TimeSpan.Zero)
        {
            errors.Add($"{nameof(WasmServingProtectionOptions)}.{nameof(WasmServingProtectionOptions.PreviousKeyValidity)} must not be negative, got {options.PreviousKeyValidity}");
        }

        if (options.KeyReloadInterval <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(WasmServingProtectionOptions)}.{nameof(WasmServingProtectionOptions.KeyReloadInterval)} must be positive, got {options.KeyReloadInterval}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
