using Microsoft.Extensions.Options;

namespace WasmMesh.Controllers;

/// <summary>Validates <see cref="LeaderElectionOptions"/> (client-go's rules plus Kubernetes name rules).</summary>
internal sealed class LeaderElectionOptionsValidator : IValidateOptions<LeaderElectionOptions>
{
    public ValidateOptionsResult Validate(string? name, LeaderElectionOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static List<string> Check(LeaderElectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!options.Enabled)
        {
            return failures;
        }

        if (!KubernetesNames.IsSubdomain(options.LeaseName))
        {
            failures.Add($"LeaderElection:LeaseName '{options.LeaseName}' is not a valid Kubernetes name: use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.");
        }

        if (!KubernetesNames.IsLabel(options.LeaseNamespace))
        {
            failures.Add($"LeaderElection:LeaseNamespace '{options.LeaseNamespace}' is not a valid namespace: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(options.Identity))
        {
            failures.Add("LeaderElection:Identity is empty: set a unique identity per replica (the default is the host name with a random suffix).");
        }

        if (options.RetryPeriod <= TimeSpan.Zero)
        {
            failures.Add($"LeaderElection:RetryPeriod ({options.RetryPeriod}) must be positive.");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            failures.Add($"LeaderElection:LeaseDuration ({options.LeaseDuration}) must be at least 1 second.");
        }

        if (options.LeaseDuration <= options.RenewDeadline)
        {
            failures.Add($"LeaderElection:LeaseDuration ({options.LeaseDuration}) must be greater than RenewDeadline ({options.RenewDeadline}).");
        }

        if (options.RenewDeadline.TotalSeconds <= LeaderElectionOptions.JitterFactor * options.RetryPeriod.TotalSeconds)
        {
            failures.Add($"LeaderElection:RenewDeadline ({options.RenewDeadline}) must be greater than {LeaderElectionOptions.JitterFactor} × RetryPeriod ({options.RetryPeriod}).");
        }

        return failures;
    }
}
