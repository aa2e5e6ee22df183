using Microsoft.Extensions.Options;

namespace WasmMesh.Controllers;

/// <summary>Validates every controller's <see cref="ControllerOptions"/>.</summary>
internal sealed class ControllerOptionsValidator : IValidateOptions<ControllerOptions>
{
    public ValidateOptionsResult Validate(string? name, ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = $"Controller '{name}': ";
        var failures = new List<string>();
        if (options.MaxConcurrentReconciles is < 1 or > 1024)
        {
            failures.Add($"{prefix}MaxConcurrentReconciles ({options.MaxConcurrentReconciles}) must be between 1 and 1024.");
        }

        if (options.BaseRetryDelay <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}BaseRetryDelay ({options.BaseRetryDelay}) must be positive.");
        }

        if (options.MaxRetryDelay < options.BaseRetryDelay)
        {
            failures.Add($"{prefix}MaxRetryDelay ({options.MaxRetryDelay}) must be at least BaseRetryDelay ({options.BaseRetryDelay}).");
        }

        if (!(options.RetriesPerSecond > 0) || double.IsInfinity(options.RetriesPerSecond))
        {
            failures.Add($"{prefix}RetriesPerSecond ({options.RetriesPerSecond}) must be a positive number.");
        }

        if (options.RetryBurst < 1)
        {
            failures.Add($"{prefix}RetryBurst ({options.RetryBurst}) must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
