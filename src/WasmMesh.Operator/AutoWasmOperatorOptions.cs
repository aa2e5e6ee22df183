using WasmMesh.Istio;
using WasmMesh.Model;

namespace WasmMesh.Operator;

/// <summary>How the AutoWasm operator reconciles. Every default is documented on its property.</summary>
public sealed class AutoWasmOperatorOptions
{
    /// <summary>
    /// How often a registry tag (an image without a digest) is resolved again so that the EnvoyFilter follows a
    /// moved tag. Default 5 minutes; at least 5 seconds.
    /// </summary>
    public TimeSpan TagResolveInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The namespace to watch; null or empty watches every namespace. Default all.</summary>
    public string? WatchNamespace { get; set; }

    /// <summary>How the generated EnvoyFilters reach this server (service name, namespace, port, DNS suffix, timeout…).</summary>
    public EnvoyFilterBuilderOptions EnvoyFilter { get; } = new()
    {
        FetchRetries = DefaultFetchRetries,
        RetryBaseInterval = TimeSpan.FromSeconds(1),
        RetryMaxInterval = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// The retries after a failed remote fetch written into EnvoyFilters by default: 5, with back-off from 1 s to 30 s
    /// (Envoy alone retries once and then never again until the next configuration push). Set
    /// <see cref="EnvoyFilterBuilderOptions.FetchRetries"/> to change or (null) remove it.
    /// </summary>
    public const int DefaultFetchRetries = 5;

    /// <summary>The output kind for AutoWasms whose <c>spec.output</c> is unset. Default <see cref="IstioOutputKind.EnvoyFilter"/>.</summary>
    public IstioOutputKind DefaultOutput { get; set; } = IstioOutputKind.EnvoyFilter;

    /// <summary>Whether modules are checked (ABI export, imports Envoy provides) before anything is written. Default true.</summary>
    public bool Preflight { get; set; } = true;

    /// <summary>The oldest proxy-wasm host the pre-flight check assumes. Default <see cref="ProxyWasmHostRevision.June2022"/>.</summary>
    public ProxyWasmHostRevision PreflightOldestHost { get; set; } = ProxyWasmHostRevision.June2022;

    /// <summary>Parallel reconciles. Default 4.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>
    /// How many module fetches run at once, apart from the reconcile workers: a source that hangs holds a fetch slot
    /// (until the source timeouts end it), never a worker. Fetches wait on the network, not the CPU, so the default is
    /// generous: 16.
    /// </summary>
    public int FetchConcurrency { get; set; } = 16;

    /// <summary>The component name written into Kubernetes Events. Default <c>wasmer</c>.</summary>
    public string EventComponent { get; set; } = "wasmer";

    /// <summary>Whether to write Kubernetes Events on phase changes. Default true.</summary>
    public bool EmitEvents { get; set; } = true;

    /// <summary>
    /// How often a permanent failure (digest mismatch, module too large, invalid module, 401/403/404, invalid pin, missing
    /// pull secret) is tried again when nothing changed; a spec change retries at once. Default 10 minutes; at least 5 seconds.
    /// </summary>
    public TimeSpan PermanentFailureRetryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The field manager of every write to the Kubernetes API (managedFields). Default: <c>wasmer</c>.</summary>
    public string FieldManager { get; set; } = "wasmer";

    /// <summary>Checks the options, returning every problem.</summary>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (TagResolveInterval < TimeSpan.FromSeconds(5))
        {
            problems.Add($"TagResolveInterval must be at least 5 s, got {TagResolveInterval}");
        }

        if (PermanentFailureRetryInterval < TimeSpan.FromSeconds(5))
        {
            problems.Add($"PermanentFailureRetryInterval must be at least 5 s, got {PermanentFailureRetryInterval}");
        }

        if (Workers is < 1 or > 64)
        {
            problems.Add($"Workers must be between 1 and 64, got {Workers}");
        }

        if (FetchConcurrency is < 1 or > 256)
        {
            problems.Add($"FetchConcurrency must be between 1 and 256, got {FetchConcurrency}");
        }

        if (string.IsNullOrWhiteSpace(EventComponent))
        {
            problems.Add("EventComponent must not be empty");
        }

        problems.AddRange(EnvoyFilter.Validate().Select(p => "EnvoyFilter: " + p));
        return problems;
    }
}
