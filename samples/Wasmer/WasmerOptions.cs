using WasmMesh.Istio;
using WasmMesh.Model;
using WasmMesh.Operator;
namespace Wasmer;

/// <summary>wasmer's settings, bound from the <c>Wasmer</c> configuration section (appsettings, WASMER__* environment variables, --Wasmer:Key=value arguments).</summary>
internal sealed class WasmerOptions
{
    /// <summary>The HTTP port for /wasm, /healthz, /readyz and /metrics.</summary>
    public int Port { get; set; } = 8081;

    /// <summary>The address to listen on; default every interface (127.0.0.1 in --dev).</summary>
    public string? ListenAddress { get; set; }

    /// <summary>A kubeconfig path; default $KUBECONFIG, then ~/.kube/config, then in-cluster.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context; default the current context.</summary>
    public string? Context { get; set; }

    /// <summary>The namespace to watch; default all namespaces.</summary>
    public string? WatchNamespace { get; set; }

    /// <summary>The Service name written into EnvoyFilters.</summary>
    public string ServiceName { get; set; } = "wasmer";

    /// <summary>The Service namespace written into EnvoyFilters.</summary>
    public string ServiceNamespace { get; set; } = "istio-system";

    /// <summary>The Service port written into EnvoyFilters; default <see cref="Port"/> (set it when the Service port differs from the container port).</summary>
    public int? ServicePort { get; set; }

    /// <summary>The cluster DNS suffix.</summary>
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>The module cache directory.</summary>
    public string CacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "wasmer-cache");

    /// <summary>The cache size budget in bytes (unreferenced modules are evicted beyond it).</summary>
    public long CacheBudgetBytes { get; set; } = 1L << 30;

    /// <summary>The largest module accepted, in bytes.</summary>
    public long MaxModuleBytes { get; set; } = 256L << 20;

    /// <summary>The leader election Lease name.</summary>
    public string LeaseName { get; set; } = "wasmer-leader";

    /// <summary>The Lease namespace; default the pod's namespace (or default).</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>How long other replicas wait after the leader's last renewal before taking over; default 15 s.</summary>
    public TimeSpan? LeaseDuration { get; set; }

    /// <summary>How long the leader retries a failed renewal before giving up leadership; default 10 s.</summary>
    public TimeSpan? RenewDeadline { get; set; }

    /// <summary>How long replicas wait between attempts to acquire or renew the Lease; default 2 s.</summary>
    public TimeSpan? RetryPeriod { get; set; }

    /// <summary>How often registry tags are resolved again.</summary>
    public TimeSpan TagResolveInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An OTLP collector (gRPC, e.g. http://otel-collector:4317) for traces and metrics; default none (OTEL_EXPORTER_OTLP_ENDPOINT also enables it).</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Allow object sources and registries on loopback addresses (always on in --dev).</summary>
    public bool AllowLoopbackSources { get; set; }

    /// <summary>The Istio resource written for AutoWasms without spec.output: EnvoyFilter (default), EnvoyFilterECDS, WasmPlugin or TrafficExtension.</summary>
    public IstioOutputKind Output { get; set; } = IstioOutputKind.EnvoyFilter;

    /// <summary>The oldest Istio release of the mesh (e.g. 1.25); fields it lacks are never written. TrafficExtension needs 1.30.</summary>
    public string IstioVersion { get; set; } = IstioRelease.Default.ToString();

    /// <summary>Retries of Envoy's remote module fetch written into EnvoyFilters; default 5; negative writes none (Envoy's own default: one retry).</summary>
    public int FetchRetries { get; set; } = AutoWasmOperatorOptions.DefaultFetchRetries;

    /// <summary>The first back-off between fetch retries; default 1 s.</summary>
    public TimeSpan RetryBaseInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest back-off between fetch retries; default 30 s.</summary>
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether modules are checked (ABI export, imports Envoy provides) before anything is written; default true.</summary>
    public bool Preflight { get; set; } = true;

    /// <summary>Parallel reconciles; default 4. Fetches run apart from them.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>Module fetches running at once; default 16.</summary>
    public int FetchConcurrency { get; set; } = 16;

    /// <summary>The longest a module fetch may take in total; default 5 minutes.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a connection to a source may take to open; default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a source (object URL, or any request of a registry fetch) may take to answer with its response headers; default 30 s.</summary>
    public TimeSpan ResponseHeaderTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a download (object URL, registry manifest or blob) may go without receiving a byte; default 30 s.</summary>
    public TimeSpan IdleReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After SIGTERM, how long wasmer keeps serving (with /readyz answering 503) before it releases the lease and exits; default 5 s.</summary>
    public TimeSpan ShutdownDrain { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An ImageDigestMirrorSet/ImageTagMirrorSet file (YAML or JSON) whose mirror rules registry sources follow; default none.</summary>
    public string? MirrorsFile { get; set; }

    /// <summary>A containerd hosts.toml directory (<c>&lt;host&gt;/hosts.toml</c> per registry) whose mirrors registry sources follow; default none.</summary>
    public string? MirrorHostsDirectory { get; set; }

    /// <summary>Serve only modules some AutoWasm references (never other cached digests); default false.</summary>
    public bool ServeReferencedOnly { get; set; }

    /// <summary>Serve modules only at /wasm/&lt;sha256&gt;/&lt;token&gt; with a per-namespace token, written into the outputs; default false.</summary>
    public bool RequireModuleToken { get; set; }

    /// <summary>The token key file (a mounted Secret, at least 32 bytes); read again every 30 s, a changed key rotates.</summary>
    public string? ModuleTokenKeyFile { get; set; }

    /// <summary>How long tokens of the previous key stay valid after a rotation; default 15 minutes.</summary>
    public TimeSpan ModuleTokenPreviousKeyValidity { get; set; } = TimeSpan.FromMinutes(15);
}
