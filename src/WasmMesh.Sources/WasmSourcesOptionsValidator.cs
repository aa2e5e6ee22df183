using Microsoft.Extensions.Options;

namespace WasmMesh.Sources;

/// <summary>Validates the options of the sources, the cache and the SSRF guard at start.</summary>
internal sealed class WasmSourcesOptionsValidator : IValidateOptions<WasmCacheOptions>, IValidateOptions<WasmSourceOptions>, IValidateOptions<SsrfGuardOptions>
{
    public ValidateOptionsResult Validate(string? name, WasmCacheOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            errors.Add($"{nameof(WasmCacheOptions)}.{nameof(WasmCacheOptions.Directory)} is required: the directory the module cache lives in");
        }

        if (options.SizeBudgetBytes <= 0)
        {
            errors.Add($"{nameof(WasmCacheOptions)}.{nameof(WasmCacheOptions.SizeBudgetBytes)} must be positive, got {options.SizeBudgetBytes}");
        }

        if (options.ScrubInterval < TimeSpan.Zero && options.ScrubInterval != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{nameof(WasmCacheOptions)}.{nameof(WasmCacheOptions.ScrubInterval)} must not be negative, got {options.ScrubInterval}; use 0 to turn the scrub off");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, WasmSourceOptions options)
    {
        var errors = new List<string>();
        if (options.MaxModuleSize <= 0)
        {
            errors.Add($"{nameof(WasmSourceOptions)}.{nameof(WasmSourceOptions.MaxModuleSize)} must be positive, got {options.MaxModuleSize}");
        }

        if (options.Timeout <= TimeSpan.Zero && options.Timeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{nameof(WasmSourceOptions)}.{nameof(WasmSourceOptions.Timeout)} must be positive, got {options.Timeout}");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero && options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{nameof(WasmSourceOptions)}.{nameof(WasmSourceOptions.ConnectTimeout)} must be positive, got {options.ConnectTimeout}");
        }

        foreach (var (setting, value) in new[] { (nameof(WasmSourceOptions.ResponseHeaderTimeout), options.ResponseHeaderTimeout), (nameof(WasmSourceOptions.IdleReadTimeout), options.IdleReadTimeout) })
        {
            if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                errors.Add($"{nameof(WasmSourceOptions)}.{setting} must be positive, got {value}");
            }
        }

        if (options.MaxRedirects is < 0 or > 20)
        {
            errors.Add($"{nameof(WasmSourceOptions)}.{nameof(WasmSourceOptions.MaxRedirects)} must be between 0 and 20, got {options.MaxRedirects}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, SsrfGuardOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.AllowList.Count; i++)
        {
            if (!SsrfGuard.TryParseNetwork(options.AllowList[i], out _))
            {
                errors.Add($"{nameof(SsrfGuardOptions)}.{nameof(SsrfGuardOptions.AllowList)}[{i}] '{options.AllowList[i]}' is neither a CIDR network (10.0.0.0/8) nor an IP address");
            }
        }

        if (options.HostResolver is null)
        {
            errors.Add($"{nameof(SsrfGuardOptions)}.{nameof(SsrfGuardOptions.HostResolver)} is required");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
