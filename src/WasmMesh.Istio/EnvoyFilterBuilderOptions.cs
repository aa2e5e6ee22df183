using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace WasmMesh.Istio;

/// <summary>
/// How generated EnvoyFilters reach the wasmer service. Defaults reproduce the reference output:
/// <c>outbound|8081||wasmer.istio-system.svc.cluster.local</c>, <c>wasmer.istio-system:8081/wasm/&lt;sha256&gt;</c>, <c>600s</c>.
/// </summary>
public sealed class EnvoyFilterBuilderOptions
{
    /// <summary>The wasmer Service name. Default <c>wasmer</c>.</summary>
    [Required]
    [RegularExpression("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    public string ServiceName { get; set; } = "wasmer";

    /// <summary>The wasmer Service namespace. Default <c>istio-system</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string ServiceNamespace { get; set; } = "istio-system";

    /// <summary>The wasmer Service port. Default 8081.</summary>
    [Range(1, 65535)]
    public int ServicePort { get; set; } = 8081;

    /// <summary>The mesh's cluster DNS suffix. Default <c>cluster.local</c>.</summary>
    [Required]
    [RegularExpression(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>
    /// The URI scheme put in front of the module URI, e.g. <c>http</c>. Default none (Envoy does not need one;
    /// the reference output has none).
    /// </summary>
    [RegularExpression("^(http|https)?$")]
    public string? UriScheme { get; set; }

    /// <summary>How long Envoy waits for one fetch attempt. Default 600 s; at least 1 s.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>Retries after a failed fetch; null leaves Envoy's default (one retry) and writes no retryPolicy.</summary>
    [Range(0, 100)]
    public int? FetchRetries { get; set; }

    /// <summary>The first back-off interval between retries (with <see cref="FetchRetries"/>). Default 1 s.</summary>
    public TimeSpan RetryBaseInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest back-off interval (with <see cref="FetchRetries"/>). Default 10 s.</summary>
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Wasm runtime. Default <c>envoy.wasm.runtime.v8</c> (an empty runtime is rejected up to Istio 1.15).</summary>
    [Required]
    public string Runtime { get; set; } = EnvoyFilterBuilder.V8Runtime;

    /// <summary>
    /// Write <c>failurePolicy: FAIL_OPEN</c> instead of <c>failOpen: true</c> for fail-open filters. Only Istio 1.25+
    /// proxies understand it. Default false.
    /// </summary>
    public bool UseFailurePolicy { get; set; }

    /// <summary>
    /// The oldest Istio release (control plane) the mesh runs, e.g. <c>1.25</c>: generated resources use only fields that
    /// release's CRDs have (see <see cref="IstioFieldTable"/>), and a spec that needs a newer field is refused with a
    /// message instead of being written. Default <c>1.25</c>. TrafficExtension needs <c>1.30</c>.
    /// </summary>
    [Required]
    [RegularExpression(@"^v?[1-9][0-9]*\.[0-9]{1,3}(\.[0-9]+)?$")]
    public string IstioVersion { get; set; } = IstioRelease.Default.ToString();

    /// <summary>Labels added to every generated EnvoyFilter. Default none.</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Checks the options, returning every problem.</summary>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var result = EnvoyFilterBuilderOptionsValidator.Instance.Validate(name: null, this);
        if (result.Failed && result.Failures is not null)
        {
            problems.AddRange(result.Failures.Select(Plain));
        }

        if (FetchTimeout < TimeSpan.FromSeconds(1) || FetchTimeout.TotalSeconds >= uint.MaxValue)
        {
            problems.Add($"FetchTimeout must be between 1 s and 2^32 s, got {FetchTimeout}");
        }

        if (FetchRetries is not null)
        {
            if (RetryBaseInterval < TimeSpan.FromMilliseconds(1))
            {
                problems.Add("RetryBaseInterval must be at least 1 ms");
            }

            if (RetryMaxInterval < RetryBaseInterval)
            {
                problems.Add("RetryMaxInterval must be at least RetryBaseInterval");
            }
        }

        return problems;
    }

    /// <summary>
    /// "ServicePort: The field EnvoyFilterBuilderOptions.ServicePort must be …" (the options framework's form) reads as
    /// "The field ServicePort must be …", the data-annotation message itself.
    /// </summary>
    private static string Plain(string failure)
    {
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && !failure.AsSpan(0, colon).Contains(' '))
        {
            failure = failure[(colon + 2)..];
        }

        return failure.Replace(nameof(EnvoyFilterBuilderOptions) + ".", string.Empty, StringComparison.Ordinal);
    }
}

/// <summary>
/// Checks the data-annotation rules of <see cref="EnvoyFilterBuilderOptions"/> with source-generated code (no reflection,
/// so the rules hold in trimmed and Native AOT builds too).
/// </summary>
[OptionsValidator]
internal sealed partial class EnvoyFilterBuilderOptionsValidator : IValidateOptions<EnvoyFilterBuilderOptions>
{
    /// <summary>The shared stateless instance.</summary>
    public static readonly EnvoyFilterBuilderOptionsValidator Instance = new();
}
