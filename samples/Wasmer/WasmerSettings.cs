using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Wasmer;

/// <summary>
/// wasmer's settings as users write them (<c>--Wasmer:Key=value</c>, <c>WASMER__KEY</c>, appsettings.json): the
/// <c>--help</c> table and the start-up validation that turns every bad setting into one line.
/// </summary>
internal static class WasmerSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Wasmer";

    /// <summary>One setting: its key, the default shown in <c>--help</c>, and what it does.</summary>
    public sealed record Setting(string Key, string Default, string Help);

    /// <summary>Every setting, in the order <c>--help</c> lists them (a test checks it names every option).</summary>
    public static IReadOnlyList<Setting> All { get; } =
    [
        new("Port", "8081", "HTTP port for /wasm/<sha256>, /healthz, /readyz and /metrics (1-65535)"),
        new("ListenAddress", "* (every interface; 127.0.0.1 in --dev)", "IP address to listen on"),
        new("Kubeconfig", "$KUBECONFIG, ~/.kube/config, then in-cluster", "kubeconfig file (must exist)"),
        new("Context", "the current context", "kubeconfig context"),
        new("WatchNamespace", "all namespaces", "watch AutoWasms in one namespace only"),
        new("ServiceName", "wasmer", "Service name written into EnvoyFilters"),
        new("ServiceNamespace", "istio-system", "Service namespace written into EnvoyFilters"),
        new("ServicePort", "the HTTP port", "Service port written into EnvoyFilters (1-65535)"),
        new("ClusterDomain", "cluster.local", "cluster DNS suffix written into EnvoyFilters"),
        new("CacheDirectory", "$TMPDIR/wasmer-cache", "module cache directory (created if missing)"),
        new("CacheBudgetBytes", (1L << 30).ToString(CultureInfo.InvariantCulture), "cache size budget; unreferenced modules are evicted beyond it (> 0)"),
        new("MaxModuleBytes", (256L << 20).ToString(CultureInfo.InvariantCulture), "largest module accepted (> 0, at most CacheBudgetBytes)"),
        new("TagResolveInterval", "00:05:00", "how often registry tags are resolved again (>= 00:00:05); annotate an AutoWasm to resolve now"),
        new("AllowLoopbackSources", "false (true in --dev)", "allow sources and registries on loopback addresses"),
        new("LeaseName", "wasmer-leader", "leader election Lease name"),
        new("LeaseNamespace", "the pod's namespace, else default", "leader election Lease namespace"),
        new("LeaseDuration", "00:00:15", "how long followers wait after the leader's last renewal (> RenewDeadline)"),
        new("RenewDeadline", "00:00:10", "how long the leader retries a failed renewal (> 1.2 x RetryPeriod)"),
        new("RetryPeriod", "00:00:02", "wait between attempts to acquire or renew the Lease (> 0)"),
        new("Output", "EnvoyFilter", "default output of AutoWasms that set no spec.output: EnvoyFilter, EnvoyFilterECDS, WasmPlugin or TrafficExtension"),
        new("IstioVersion", "1.25", "oldest Istio release in the mesh; fields it lacks are never written (e.g. 1.30 for TrafficExtension)"),
        new("FetchRetries", "5", "Envoy's remote fetch retries written into EnvoyFilters (negative: Envoy's default of one)"),
        new("RetryBaseInterval", "00:00:01", "first back-off of Envoy's remote fetch retries"),
        new("RetryMaxInterval", "00:00:30", "largest back-off of Envoy's remote fetch retries"),
        new("Preflight", "true", "check each module's ABI export and imports before anything is written"),
        new("Workers", "4", "parallel reconciles (1-64); fetches never hold them"),
        new("FetchConcurrency", "16", "module fetches running at once, apart from the workers (1-256)"),
        new("FetchTimeout", "00:05:00", "longest a module fetch may take in total (> 0)"),
        new("ConnectTimeout", "00:00:10", "longest a connection to a source (object URL or registry) may take to open (> 0)"),
        new("ResponseHeaderTimeout", "00:00:30", "longest a source (object URL, or any request of a registry fetch) may take to answer with headers (> 0)"),
        new("IdleReadTimeout", "00:00:30", "longest a download (object URL, registry manifest or blob) may go without receiving a byte (> 0)"),
        new("ShutdownDrain", "00:00:05", "after SIGTERM: /readyz answers 503 at once, modules are served this long, then the lease is released and wasmer exits (00:00:00-00:10:00)"),
        new("OtlpEndpoint", "none (or $OTEL_EXPORTER_OTLP_ENDPOINT)", "OTLP collector for traces and metrics, e.g. http://otel-collector:4317"),
        new("MirrorsFile", "none", "ImageDigestMirrorSet/ImageTagMirrorSet file (YAML or JSON) registry sources follow"),
        new("MirrorHostsDirectory", "none", "containerd hosts.toml directory (<host>/hosts.toml) registry sources follow"),
        new("ServeReferencedOnly", "false", "serve only modules some AutoWasm references, never other cached digests"),
        new("RequireModuleToken", "false", "serve modules only at /wasm/<sha256>/<token> (per-namespace HMAC token written into the outputs)"),
        new("ModuleTokenKeyFile", "none (required with RequireModuleToken)", "token key file, e.g. a mounted Secret (>= 32 bytes; re-read every 30 s, a new key rotates)"),
        new("ModuleTokenPreviousKeyValidity", "00:15:00", "how long tokens of the previous key stay valid after a rotation (> TagResolveInterval)"),
    ];

    /// <summary>The <c>--help</c> text.</summary>
    public static string HelpText()
    {
        var lines = new List<string>
        {
            "wasmer: serves proxy-wasm modules to Envoy and writes the Istio resource (EnvoyFilter, WasmPlugin, ...) for AutoWasm resources.",
            string.Empty,
            "Usage: wasmer [--dev] [--Wasmer:Key=value ...]",
            string.Empty,
            "  --dev    run against an in-process Kubernetes API test server (prints its kubeconfig)",
            "  --help   print this help",
            string.Empty,
            "Settings (--Wasmer:Key=value, environment WASMER__KEY=value, or the Wasmer section of appsettings.json):",
        };
        var width = All.Max(s => s.Key.Length) + 2;
        foreach (var setting in All)
        {
            lines.Add($"  {setting.Key.PadRight(width)}{setting.Help}");
            lines.Add($"  {new string(' ', width)}default: {setting.Default}");
        }

        lines.Add(string.Empty);
        lines.Add("Times are hh:mm:ss. Invalid settings are reported one per line and wasmer exits with code 2.");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>
    /// Binds the <c>Wasmer</c> section, collecting every problem (unknown keys, values of the wrong type, out of range,
    /// files that must exist) instead of stopping at the first. Problems are complete sentences naming the setting.
    /// </summary>
    public static (WasmerOptions Options, IReadOnlyList<string> Problems) Bind(IConfiguration configuration, bool dev)
    {
        var options = new WasmerOptions();
        var problems = new List<string>();
        var properties = typeof(WasmerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in configuration.GetSection(Section).GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                problems.Add($"{Section}:{child.Key}: unknown setting{Suggestion(child.Key, properties.Keys)}; 'wasmer --help' lists every setting");
                continue;
            }

            if (child.Value is null)
            {
                problems.Add($"{Section}:{property.Name}: expected a single value, got a section");
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (child.Value.Length == 0 && (Nullable.GetUnderlyingType(property.PropertyType) is not null || !type.IsValueType))
            {
                property.SetValue(options, null);
                continue;
            }

            try
            {
                var value = type == typeof(Uri)
                    ? new Uri(child.Value, UriKind.Absolute)
                    : TypeDescriptor.GetConverter(type).ConvertFromInvariantString(child.Value);
                property.SetValue(options, value);
            }
#pragma warning disable CA1031 // Every conversion failure becomes one line about the setting.
            catch (Exception)
#pragma warning restore CA1031
            {
                problems.Add($"{Section}:{property.Name}: '{child.Value}' is not {Describe(type)}");
            }
        }

        // Values that failed to convert keep their defaults, so they are not reported twice.
        problems.AddRange(Validate(options, dev));

        return (options, problems);
    }

    /// <summary>Range and existence checks on bound options.</summary>
    public static IEnumerable<string> Validate(WasmerOptions o, bool dev)
    {
        if (o.Port is < 1 or > 65535)
        {
            yield return $"{Section}:Port: {o.Port} is not a TCP port; use 1-65535";
        }

        if (o.ServicePort is { } servicePort && servicePort is < 1 or > 65535)
        {
            yield return $"{Section}:ServicePort: {servicePort} is not a TCP port; use 1-65535";
        }

        if (o.ListenAddress is { } address && address != "*" && !IPAddress.TryParse(address, out _))
        {
            yield return $"{Section}:ListenAddress: '{address}' is not an IP address; use e.g. 0.0.0.0, 127.0.0.1, :: or *";
        }

        if (o.CacheBudgetBytes <= 0)
        {
            yield return $"{Section}:CacheBudgetBytes: {o.CacheBudgetBytes} must be greater than 0";
        }

        if (o.MaxModuleBytes <= 0)
        {
            yield return $"{Section}:MaxModuleBytes: {o.MaxModuleBytes} must be greater than 0";
        }
        else if (o.CacheBudgetBytes > 0 && o.MaxModuleBytes > o.CacheBudgetBytes)
        {
            yield return $"{Section}:MaxModuleBytes: {o.MaxModuleBytes} is larger than CacheBudgetBytes ({o.CacheBudgetBytes}); a module that large could never be cached";
        }

        if (o.Workers is < 1 or > 64)
        {
            yield return $"{Section}:Workers: {o.Workers} must be between 1 and 64";
        }

        if (o.FetchConcurrency is < 1 or > 256)
        {
            yield return $"{Section}:FetchConcurrency: {o.FetchConcurrency} must be between 1 and 256";
        }

        foreach (var (name, value) in new[] { ("FetchTimeout", o.FetchTimeout), ("ConnectTimeout", o.ConnectTimeout), ("ResponseHeaderTimeout", o.ResponseHeaderTimeout), ("IdleReadTimeout", o.IdleReadTimeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return $"{Section}:{name}: {value} must be greater than 0";
            }
        }

        if (o.TagResolveInterval < TimeSpan.FromSeconds(5))
        {
            yield return $"{Section}:TagResolveInterval: {o.TagResolveInterval} is too short; use at least 00:00:05";
        }

        foreach (var (name, value) in new[] { ("ServiceName", o.ServiceName), ("ServiceNamespace", o.ServiceNamespace), ("LeaseName", o.LeaseName), ("ClusterDomain", o.ClusterDomain) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return $"{Section}:{name}: must not be empty";
            }
        }

        var lease = o.LeaseDuration ?? TimeSpan.FromSeconds(15);
        var renew = o.RenewDeadline ?? TimeSpan.FromSeconds(10);
        var retry = o.RetryPeriod ?? TimeSpan.FromSeconds(2);
        if (retry <= TimeSpan.Zero)
        {
            yield return $"{Section}:RetryPeriod: {retry} must be greater than 0";
        }
        else if (renew <= retry * 1.2)
        {
            yield return $"{Section}:RenewDeadline: {renew} must be greater than 1.2 x RetryPeriod ({retry})";
        }

        if (lease <= renew)
        {
            yield return $"{Section}:LeaseDuration: {lease} must be greater than RenewDeadline ({renew})";
        }

        if (o.ShutdownDrain < TimeSpan.Zero || o.ShutdownDrain > TimeSpan.FromMinutes(10))
        {
            yield return $"{Section}:ShutdownDrain: {o.ShutdownDrain} is out of range; use 00:00:00 to 00:10:00 (and a terminationGracePeriodSeconds longer than it)";
        }

        if (o.OtlpEndpoint is { } otlp && otlp.Scheme is not ("http" or "https"))
        {
            yield return $"{Section}:OtlpEndpoint: '{otlp}' must be an http:// or https:// URL, e.g. http://otel-collector:4317";
        }

        foreach (var problem in ValidateSupplyChain(o))
        {
            yield return problem;
        }

        if (!dev)
        {
            if (o.Kubeconfig is { Length: > 0 } kubeconfig)
            {
                if (!File.Exists(kubeconfig))
                {
                    yield return $"{Section}:Kubeconfig: the file '{kubeconfig}' does not exist";
                }
            }
            else if (KubeconfigProblem() is { } problem)
            {
                yield return problem;
            }
        }
    }

    /// <summary>Mirror and endpoint protection settings.</summary>
    private static IEnumerable<string> ValidateSupplyChain(WasmerOptions o)
    {
        if (o.MirrorsFile is { Length: > 0 } mirrors && !File.Exists(mirrors))
        {
            yield return $"{Section}:MirrorsFile: the file '{mirrors}' does not exist";
        }

        if (o.MirrorHostsDirectory is { Length: > 0 } hosts && !Directory.Exists(hosts))
        {
            yield return $"{Section}:MirrorHostsDirectory: '{hosts}' is not a directory";
        }

        if (o.RequireModuleToken && string.IsNullOrEmpty(o.ModuleTokenKeyFile))
        {
            yield return $"{Section}:ModuleTokenKeyFile: required with RequireModuleToken; point it at a key file (e.g. a Secret volume holding 'openssl rand -base64 48')";
        }
        else if (o.ModuleTokenKeyFile is { Length: > 0 } key && !File.Exists(key))
        {
            yield return $"{Section}:ModuleTokenKeyFile: the file '{key}' does not exist";
        }

        if (o.RequireModuleToken && o.ModuleTokenPreviousKeyValidity <= o.TagResolveInterval)
        {
            yield return $"{Section}:ModuleTokenPreviousKeyValidity: {o.ModuleTokenPreviousKeyValidity} must be longer than TagResolveInterval ({o.TagResolveInterval}), the longest an output waits to be rewritten with a new token";
        }
    }

    /// <summary>Whether any Kubernetes configuration is reachable when no kubeconfig is named: $KUBECONFIG, ~/.kube/config, or in-cluster.</summary>
    private static string? KubeconfigProblem()
    {
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(env))
        {
            var files = env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            return files.Any(File.Exists)
                ? null
                : $"KUBECONFIG names no existing file ('{env}'); fix it or set --Wasmer:Kubeconfig=PATH";
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home) && File.Exists(Path.Combine(home, ".kube", "config")))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
            && File.Exists("/var/run/secrets/kubernetes.io/serviceaccount/token"))
        {
            return null;
        }

        return "no Kubernetes configuration: set --Wasmer:Kubeconfig=PATH or KUBECONFIG, create ~/.kube/config, run in a cluster, or try --dev";
    }

    private static string Describe(Type type) =>
        type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(TimeSpan) ? "a time span (hh:mm:ss, e.g. 00:05:00)"
        : type == typeof(Uri) ? "an absolute URL"
        : "a valid " + type.Name;

    private static string Suggestion(string key, IEnumerable<string> known)
    {
        var best = known.Select(k => (Key: k, Distance: Distance(key.ToUpperInvariant(), k.ToUpperInvariant()))).MinBy(p => p.Distance);
        return best.Key is not null && best.Distance <= Math.Max(2, key.Length / 3) ? $" (did you mean {Section}:{best.Key}?)" : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
