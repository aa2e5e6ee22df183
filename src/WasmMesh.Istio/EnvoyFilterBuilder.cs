using System.Globalization;
using System.Text.Json;
using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Model;

namespace WasmMesh.Istio;

/// <summary>
/// Turns an <see cref="AutoWasm"/> and its module's sha256 into the EnvoyFilter that makes Envoy load the module
/// remotely from wasmer. A pure function of its inputs: the same inputs always give an equal EnvoyFilter.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>One <c>HTTP_FILTER</c> patch per applyPort, inserted before <c>envoy.filters.http.router</c> in
/// <c>envoy.filters.network.http_connection_manager</c> (the only names Istio 1.19+ matches); one patch without
/// <c>portNumber</c> when applyPorts is empty.</item>
/// <item>The filter is wrapped in <c>udpa.type.v1.TypedStruct</c>, which every Istio from 1.10 accepts.</item>
/// <item>When vmID is empty the VM ID is <c>&lt;namespace&gt;.&lt;name&gt;</c> (see <see cref="DefaultVmId"/>).</item>
/// <item>Configuration reaches the module as a <c>google.protobuf.StringValue</c>: a JSON string is passed as its
/// text, any other JSON value as compact JSON.</item>
/// <item>An owner reference to the AutoWasm is written when its uid is known, so deleting the AutoWasm deletes the
/// EnvoyFilter. Credentials are never copied into the output.</item>
/// </list>
/// </remarks>
public sealed class EnvoyFilterBuilder
{
    /// <summary>The V8 runtime name.</summary>
    public const string V8Runtime = "envoy.wasm.runtime.v8";

    /// <summary>The HTTP connection manager's canonical name.</summary>
    public const string HttpConnectionManager = "envoy.filters.network.http_connection_manager";

    /// <summary>The router's canonical name.</summary>
    public const string Router = "envoy.filters.http.router";

    /// <summary>The Wasm HTTP filter's canonical name.</summary>
    public const string WasmFilterName = "envoy.filters.http.wasm";

    /// <summary>The TypedStruct type URL that every supported Istio accepts.</summary>
    public const string TypedStructType = "type.googleapis.com/udpa.type.v1.TypedStruct";

    /// <summary>The Envoy Wasm filter message type URL.</summary>
    public const string WasmTypeUrl = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";

    private readonly EnvoyFilterBuilderOptions _options;
    private readonly string _cluster;
    private readonly string _uriPrefix;
    private readonly string _timeout;
    private readonly RemoteRetryPolicy? _retryPolicy;
    private readonly LabelMap? _labels;

    /// <summary>Creates a builder with default options (the reference output).</summary>
    public EnvoyFilterBuilder()
        : this(new EnvoyFilterBuilderOptions())
    {
    }

    /// <summary>Creates a builder.</summary>
    /// <param name="options">The serving options.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public EnvoyFilterBuilder(EnvoyFilterBuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid EnvoyFilter builder options: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        var host = $"{options.ServiceName}.{options.ServiceNamespace}";
        _cluster = $"outbound|{options.ServicePort.ToString(CultureInfo.InvariantCulture)}||{host}.svc.{options.ClusterDomain}";
        _uriPrefix = (string.IsNullOrEmpty(options.UriScheme) ? string.Empty : options.UriScheme + "://") + $"{host}:{options.ServicePort.ToString(CultureInfo.InvariantCulture)}/wasm/";
        _timeout = FormatDuration(options.FetchTimeout);
        if (options.FetchRetries is { } retries)
        {
            _retryPolicy = new RemoteRetryPolicy
            {
                NumRetries = retries,
                RetryBackOff = new RetryBackOff
                {
                    BaseInterval = FormatDuration(options.RetryBaseInterval),
                    MaxInterval = FormatDuration(options.RetryMaxInterval),
                },
            };
        }

        _labels = options.Labels.Count > 0 ? LabelMap.From(options.Labels) : null;
    }

    /// <summary>The Envoy cluster the generated filters fetch through.</summary>
    public string Cluster => _cluster;

    /// <summary>The module URI for a digest, as written into the EnvoyFilter.</summary>
    /// <param name="sha256">The module's sha256.</param>
    /// <param name="accessToken">The access token a protected endpoint requires (<c>/wasm/&lt;sha256&gt;/&lt;token&gt;</c>), or <see langword="null"/>.</param>
    /// <returns>The URI.</returns>
    public string ModuleUri(Digest sha256, string? accessToken = null) => _uriPrefix + RequireSha256(sha256) + TokenSuffix(accessToken);

    /// <summary>The VM ID used when an AutoWasm names none: <c>&lt;namespace&gt;.&lt;name&gt;</c>.</summary>
    /// <param name="resource">The AutoWasm.</param>
    /// <returns>The VM ID.</returns>
    public static string DefaultVmId(AutoWasm resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return $"{resource.NamespaceOrDefault}.{resource.Metadata.Name}";
    }

    /// <summary>The Istio proxy versions that know <c>failure_policy</c> (1.25 and later), as a <c>proxyVersion</c> regular expression.</summary>
    public const string FailurePolicyProxyVersions = @"^(1\.(2[5-9]|[3-9][0-9]|[1-9][0-9][0-9]+)|[2-9]|[1-9][0-9]+)([.-].*)?$";

    /// <summary>The Istio proxy versions before 1.25, which know only <c>fail_open</c>, as a <c>proxyVersion</c> regular expression.</summary>
    public const string FailOpenOnlyProxyVersions = @"^1\.([0-9]|1[0-9]|2[0-4])([.-].*)?$";

    /// <summary>The ECDS name of an AutoWasm's filter: <c>wasmmesh/&lt;namespace&gt;/&lt;name&gt;</c>.</summary>
    /// <param name="resource">The AutoWasm.</param>
    /// <returns>The name.</returns>
    public static string ExtensionConfigName(AutoWasm resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return $"wasmmesh/{resource.NamespaceOrDefault}/{resource.Metadata.Name}";
    }

    /// <summary>The module URL the istio-agent fetches (ECDS, WasmPlugin, TrafficExtension): scheme, service FQDN, port, digest.</summary>
    /// <param name="sha256">The module's sha256.</param>
    /// <param name="accessToken">The access token a protected endpoint requires (<c>/wasm/&lt;sha256&gt;/&lt;token&gt;</c>), or <see langword="null"/>.</param>
    /// <returns>E.g. <c>http://wasmer.istio-system.svc.cluster.local:8081/wasm/&lt;sha256&gt;</c>.</returns>
    public string AgentModuleUrl(Digest sha256, string? accessToken = null)
        => $"{(string.IsNullOrEmpty(_options.UriScheme) ? "http" : _options.UriScheme)}://{_options.ServiceName}.{_options.ServiceNamespace}.svc.{_options.ClusterDomain}:{_options.ServicePort.ToString(CultureInfo.InvariantCulture)}/wasm/{RequireSha256(sha256)}{TokenSuffix(accessToken)}";

    /// <summary>Builds the EnvoyFilter for an AutoWasm whose module has the given sha256.</summary>
    /// <param name="resource">A valid AutoWasm (see <c>AutoWasmValidator</c>).</param>
    /// <param name="sha256">The sha256 of the module bytes.</param>
    /// <param name="accessToken">The access token a protected endpoint requires in the module URL, or <see langword="null"/>.</param>
    /// <returns>The EnvoyFilter, named and namespaced as the AutoWasm.</returns>
    /// <exception cref="ArgumentException">The AutoWasm has no name, the digest is not sha256, or the token is not URL-safe.</exception>
    /// <exception cref="IstioOutputException">The phase cannot be anchored in the AutoWasm's context.</exception>
    public EnvoyFilter Build(AutoWasm resource, Digest sha256, string? accessToken = null) => Build(resource, sha256, ecds: false, accessToken);

    /// <summary>
    /// Builds the ECDS form of the EnvoyFilter: an <c>EXTENSION_CONFIG</c> patch carrying the Wasm configuration (its
    /// module URL with a scheme, so that istio-agent downloads it) and an <c>HTTP_FILTER</c> patch per port that loads it
    /// through <c>configDiscovery</c>. A changed module then replaces the extension without draining listeners.
    /// </summary>
    /// <param name="resource">A valid AutoWasm.</param>
    /// <param name="sha256">The sha256 of the module bytes.</param>
    /// <param name="accessToken">The access token a protected endpoint requires in the module URL, or <see langword="null"/>.</param>
    /// <returns>The EnvoyFilter.</returns>
    /// <exception cref="IstioOutputException">The phase cannot be anchored in the AutoWasm's context.</exception>
    public EnvoyFilter BuildEcds(AutoWasm resource, Digest sha256, string? accessToken = null) => Build(resource, sha256, ecds: true, accessToken);

    /// <summary>The path segment a module access token adds; tokens are URL-safe (base64url), anything else is refused.</summary>
    private static string TokenSuffix(string? accessToken)
    {
        if (accessToken is null)
        {
            return string.Empty;
        }

        if (accessToken.Length == 0 || accessToken.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ArgumentException("a module access token must be a non-empty base64url string", nameof(accessToken));
        }

        return "/" + accessToken;
    }

    private EnvoyFilter Build(AutoWasm resource, Digest sha256, bool ecds, string? accessToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var name = resource.Metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("the AutoWasm has no metadata.name", nameof(resource));
        }

        var hex = RequireSha256(sha256);
        var filter = resource.Spec.Filter;
        var trafficContext = filter.Context ?? TrafficContext.SidecarInbound;
        var anchor = IstioFilterChain.AnchorFor(filter.Phase);
        if (!anchor.Anchor.CanExistIn(trafficContext))
        {
            throw new IstioOutputException(ecds ? "EnvoyFilterECDS" : "EnvoyFilter", [$"spec.filter.phase: Istio never adds the {IstioFilterChain.PhaseName(filter.Phase)} anchor {anchor.Anchor.Name} on {ContextName(trafficContext)} listeners, so the patch would never apply; use output WasmPlugin or TrafficExtension, or another phase"]);
        }

        var baseConfig = new PluginConfig
        {
            Name = name,
            RootId = string.IsNullOrEmpty(filter.RootId) ? null : filter.RootId,
            VmConfig = new VmConfig
            {
                VmId = string.IsNullOrEmpty(filter.VmId) ? DefaultVmId(resource) : filter.VmId,
                Runtime = _options.Runtime,
                Code = new AsyncDataSource
                {
                    Remote = new RemoteDataSource
                    {
                        HttpUri = new HttpUri { Uri = ecds ? AgentModuleUrl(sha256, accessToken) : _uriPrefix + hex + TokenSuffix(accessToken), Cluster = _cluster, Timeout = _timeout },
                        Sha256 = hex,
                        RetryPolicy = _retryPolicy,
                    },
                },
            },
            Configuration = filter.Configuration is { } configuration ? new StringValue { Value = ConfigurationText(configuration) } : null,
        };

        // One variant per proxy-version range: FailOpen is written as failOpen, which every proxy honours (Envoy 1.33+
        // deprecates but accepts it); FailReload exists only on 1.25+ proxies (older ones fail closed). Setting both
        // fields is rejected by Envoy, so a variant never has both.
        var variants = (filter.EffectiveFailurePolicy, _options.UseFailurePolicy) switch
        {
            (FailurePolicy.FailOpen, false) => [(null, baseConfig with { FailOpen = true })],
            (FailurePolicy.FailOpen, true) => [(null, baseConfig with { FailurePolicy = "FAIL_OPEN" })],
            (FailurePolicy.FailReload, true) => [(null, baseConfig with { FailurePolicy = "FAIL_RELOAD" })],
            (FailurePolicy.FailReload, false) => new (ProxyMatch?, PluginConfig)[]
            {
                (new ProxyMatch { ProxyVersion = FailurePolicyProxyVersions }, baseConfig with { FailurePolicy = "FAIL_RELOAD" }),
                (new ProxyMatch { ProxyVersion = FailOpenOnlyProxyVersions }, baseConfig),
            },
            _ => new (ProxyMatch?, PluginConfig)[] { (null, baseConfig) },
        };

        var context = ContextName(trafficContext);
        var ports = filter.ApplyPorts.IsEmpty ? [(int?)null] : filter.ApplyPorts.Select(p => (int?)p).ToArray();
        var patches = new List<EnvoyConfigObjectPatch>();
        var extensionName = ExtensionConfigName(resource);
        if (ecds)
        {
            foreach (var (proxy, config) in variants)
            {
                patches.Add(new EnvoyConfigObjectPatch
                {
                    ApplyTo = "EXTENSION_CONFIG",
                    Match = proxy is null ? null : new EnvoyConfigObjectMatch { Proxy = proxy },
                    Patch = new EnvoyPatch
                    {
                        Operation = "ADD",
                        Value = new HttpFilterValue { Name = extensionName, TypedConfig = Wrap(config) },
                    },
                });
            }

            variants = [(null, baseConfig)];
        }

        foreach (var port in ports)
        {
            foreach (var (proxy, config) in variants)
            {
                patches.Add(new EnvoyConfigObjectPatch
                {
                    ApplyTo = "HTTP_FILTER",
                    Match = new EnvoyConfigObjectMatch
                    {
                        Context = context,
                        Proxy = proxy,
                        Listener = new ListenerMatch
                        {
                            PortNumber = port,
                            FilterChain = new FilterChainMatch
                            {
                                Filter = new FilterMatch { Name = HttpConnectionManager, SubFilter = new SubFilterMatch { Name = anchor.Anchor.Name } },
                            },
                        },
                    },
                    Patch = new EnvoyPatch
                    {
                        Operation = PhaseAnchor.Operation,
                        Value = ecds
                            ? new HttpFilterValue { Name = extensionName, ConfigDiscovery = EcdsSource }
                            : new HttpFilterValue { Name = WasmFilterName, TypedConfig = Wrap(config) },
                    },
                });
            }
        }

        var labels = resource.Spec.Selector?.MatchLabels;
        return new EnvoyFilter
        {
            Metadata = OutputMetadata(resource),
            Spec = new EnvoyFilterSpec
            {
                ConfigPatches = patches.ToArray(),
                WorkloadSelector = labels is { Count: > 0 } ? new WorkloadLabelSelector { Labels = labels } : null,

                // Patches on one anchor apply in ascending priority and INSERT_BEFORE makes the first applied run first,
                // so a higher spec priority becomes a lower EnvoyFilter priority.
                Priority = filter.Priority is { } priority ? -priority : null,
            },
        };
    }

    private static readonly ExtensionConfigSource EcdsSource = new()
    {
        ConfigSource = new ConfigSource { InitialFetchTimeout = "0s", ResourceApiVersion = "V3" },
        TypeUrls = new EquatableArray<string>([ExtensionConfigSource.WasmTypeUrl, ExtensionConfigSource.RbacTypeUrl]),
    };

    private static WasmTypedStruct Wrap(PluginConfig config)
        => new() { Type = TypedStructType, TypeUrl = WasmTypeUrl, Value = new WasmFilterConfig { Config = config } };

    /// <summary>
    /// The metadata of a resource generated for an AutoWasm: its name and namespace, the configured labels and, when its
    /// uid is known, a controller owner reference so that deleting the AutoWasm deletes the resource.
    /// </summary>
    /// <param name="resource">The AutoWasm.</param>
    /// <returns>The metadata.</returns>
    public k8s.Models.V1ObjectMeta OutputMetadata(AutoWasm resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var name = resource.Metadata.Name;
        return new k8s.Models.V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = resource.NamespaceOrDefault,
            Labels = _labels?.ToDictionary(StringComparer.Ordinal),
            OwnerReferences = string.IsNullOrEmpty(resource.Metadata?.Uid)
                ? null
                :
                [
                    new k8s.Models.V1OwnerReference
                    {
                        ApiVersion = resource.ApiVersion,
                        Kind = resource.Kind,
                        Name = name!,
                        Uid = resource.Metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
        };
    }

    /// <summary>The Envoy match context for a traffic context.</summary>
    /// <param name="context">The traffic context.</param>
    /// <returns><c>SIDECAR_INBOUND</c>, <c>SIDECAR_OUTBOUND</c> or <c>GATEWAY</c>.</returns>
    public static string ContextName(TrafficContext context) => context switch
    {
        TrafficContext.SidecarInbound => "SIDECAR_INBOUND",
        TrafficContext.SidecarOutbound => "SIDECAR_OUTBOUND",
        TrafficContext.Gateway => "GATEWAY",
        _ => throw new ArgumentOutOfRangeException(nameof(context), context, "unknown traffic context"),
    };

    /// <summary>Formats a duration as protobuf JSON does: seconds with up to nine decimals and an <c>s</c>.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>E.g. <c>600s</c> or <c>0.250s</c>.</returns>
    public static string FormatDuration(TimeSpan duration)
    {
        var ticks = duration.Ticks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var fraction = ticks % TimeSpan.TicksPerSecond;
        if (fraction == 0)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        var nanos = fraction * 100;
        var digits = nanos % 1_000_000 == 0 ? (nanos / 1_000_000).ToString("D3", CultureInfo.InvariantCulture)
            : nanos % 1_000 == 0 ? (nanos / 1_000).ToString("D6", CultureInfo.InvariantCulture)
            : nanos.ToString("D9", CultureInfo.InvariantCulture);
        return $"{seconds.ToString(CultureInfo.InvariantCulture)}.{digits}s";
    }

    internal static string ConfigurationText(JsonElement configuration)
        => configuration.ValueKind == JsonValueKind.String ? configuration.GetString()! : JsonSerializer.Serialize(configuration, Model.ModelJsonContext.Default.JsonElement);

    private static string RequireSha256(Digest sha256)
    {
        if (sha256.IsEmpty || sha256.Algorithm != Digest.Sha256Algorithm)
        {
            throw new ArgumentException($"Envoy verifies modules by sha256; '{sha256}' is not a sha256 digest", nameof(sha256));
        }

        return sha256.Hex;
    }
}
