using System.Globalization;
using System.Text;
using WasmMesh.Model;

namespace WasmMesh.Istio;

/// <summary>One HTTP filter Istio puts in a listener's chain, in order.</summary>
/// <param name="Name">The filter name.</param>
/// <param name="OnlyWhen">When the filter exists only under a condition, the condition; null when always present.</param>
/// <param name="NeverOnSidecarOutbound">Whether Istio never adds it on sidecar outbound listeners.</param>
public sealed record IstioHttpFilter(string Name, string? OnlyWhen, bool NeverOnSidecarOutbound = false)
{
    /// <summary>Whether the filter can exist in a context.</summary>
    /// <param name="context">The traffic context.</param>
    /// <returns>False when Istio never adds it there.</returns>
    public bool CanExistIn(TrafficContext context) => !(NeverOnSidecarOutbound && context == TrafficContext.SidecarOutbound);
}

/// <summary>Where an EnvoyFilter puts a filter of a phase: <c>INSERT_BEFORE</c> the anchor filter.</summary>
/// <param name="Phase">The phase; null for an unset phase.</param>
/// <param name="Anchor">The filter the module is inserted before.</param>
public sealed record PhaseAnchor(FilterPhase? Phase, IstioHttpFilter Anchor)
{
    /// <summary>The EnvoyFilter operation, <c>INSERT_BEFORE</c> (a patch applied earlier then runs earlier).</summary>
    public const string Operation = "INSERT_BEFORE";
}

/// <summary>
/// The HTTP filter order Istio builds for sidecars and gateways (istio <c>listener_builder.go</c>, development branch),
/// where each phase of a WasmPlugin/TrafficExtension lands in it, and the anchor an EnvoyFilter uses to land there:
/// <c>istio.metadata_exchange</c>, CUSTOM authorization (<c>rbac</c> shadow + <c>ext_authz</c>), ▶ AUTHN,
/// <c>jwt_authn</c>, ▶ AUTHZ, <c>rbac</c>, ▶ STATS, <c>grpc_stats</c>, <c>istio.alpn</c>, <c>fault</c>, <c>cors</c>,
/// <c>istio.stats</c>, ▶ unset, <c>router</c>.
/// </summary>
public static class IstioFilterChain
{
    /// <summary><c>istio.metadata_exchange</c>.</summary>
    public static IstioHttpFilter MetadataExchange { get; } = new("istio.metadata_exchange", null);

    /// <summary>The shadow RBAC filter of a CUSTOM AuthorizationPolicy.</summary>
    public static IstioHttpFilter CustomRbac { get; } = new("envoy.filters.http.rbac", "a CUSTOM AuthorizationPolicy selects the workload (shadow rules)");

    /// <summary><c>envoy.filters.http.ext_authz</c>.</summary>
    public static IstioHttpFilter ExtAuthz { get; } = new("envoy.filters.http.ext_authz", "a CUSTOM AuthorizationPolicy selects the workload");

    /// <summary><c>envoy.filters.http.jwt_authn</c>.</summary>
    public static IstioHttpFilter JwtAuthn { get; } = new("envoy.filters.http.jwt_authn", "a RequestAuthentication selects the workload", NeverOnSidecarOutbound: true);

    /// <summary><c>envoy.filters.http.rbac</c>.</summary>
    public static IstioHttpFilter Rbac { get; } = new("envoy.filters.http.rbac", "an AuthorizationPolicy selects the workload");

    /// <summary><c>envoy.filters.http.grpc_stats</c>.</summary>
    public static IstioHttpFilter GrpcStats { get; } = new("envoy.filters.http.grpc_stats", null);

    /// <summary><c>envoy.filters.http.router</c>, always last.</summary>
    public static IstioHttpFilter Router { get; } = new(EnvoyFilterBuilder.Router, null);

    /// <summary>Istio's HTTP filters in order, with the slot of each phase (null filter = the slot of that phase).</summary>
    public static IReadOnlyList<(IstioHttpFilter? Filter, FilterPhase? Phase)> Chain { get; } =
    [
        (MetadataExchange, null),
        (CustomRbac, null),
        (ExtAuthz, null),
        (null, FilterPhase.Authn),
        (JwtAuthn, null),
        (null, FilterPhase.Authz),
        (Rbac, null),
        (null, FilterPhase.Stats),
        (GrpcStats, null),
        (new IstioHttpFilter("istio.alpn", null), null),
        (new IstioHttpFilter("envoy.filters.http.fault", null), null),
        (new IstioHttpFilter("envoy.filters.http.cors", null), null),
        (new IstioHttpFilter("istio.stats", null), null),
        (null, null),
        (Router, null),
    ];

    /// <summary>The anchor an EnvoyFilter inserts a filter of <paramref name="phase"/> before.</summary>
    /// <param name="phase">The phase; null keeps the position just before the router.</param>
    /// <returns>The anchor.</returns>
    public static PhaseAnchor AnchorFor(FilterPhase? phase) => phase switch
    {
        FilterPhase.Authn => new(phase, JwtAuthn),
        FilterPhase.Authz => new(phase, Rbac),
        FilterPhase.Stats => new(phase, GrpcStats),
        _ => new(null, Router),
    };

    /// <summary>
    /// Explains where the module of <paramref name="resource"/> lands: Istio's HTTP filter chain for its context, each
    /// conditional filter marked, and the module's place (for EnvoyFilter outputs: the anchor and its condition).
    /// </summary>
    /// <param name="resource">The AutoWasm.</param>
    /// <param name="output">The output kind.</param>
    /// <returns>The text, ending with a newline.</returns>
    public static string Explain(AutoWasm resource, IstioOutputKind output)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var filter = resource.Spec.Filter;
        var context = filter.Context ?? TrafficContext.SidecarInbound;
        var phase = filter.Phase;
        var name = $"{resource.NamespaceOrDefault}/{resource.Metadata.Name}";
        var anchor = AnchorFor(phase);
        var viaEnvoyFilter = output is IstioOutputKind.EnvoyFilter or IstioOutputKind.EnvoyFilterEcds;
        var text = new StringBuilder();
        var ports = filter.ApplyPorts.IsEmpty ? "every port" : "port " + string.Join(", ", filter.ApplyPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        text.Append(CultureInfo.InvariantCulture, $"{name}: output {OutputName(output)}, {EnvoyFilterBuilder.ContextName(context)}, {ports}, phase {PhaseName(phase) ?? "unset"}, priority {(filter.Priority?.ToString(CultureInfo.InvariantCulture) ?? "unset")}\n");
        text.Append("HTTP filter chain Istio builds (in order):\n");
        var n = 1;
        foreach (var (entry, slot) in Chain)
        {
            if (entry is null)
            {
                if (slot == phase)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  ▶  {name}  ({Placement(anchor, viaEnvoyFilter, filter.Priority)})\n");
                }

                continue;
            }

            if (!entry.CanExistIn(context))
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"  {n,2}. {entry.Name}{(entry.OnlyWhen is null ? string.Empty : $"   — only when {entry.OnlyWhen}")}\n");
            n++;
        }

        if (viaEnvoyFilter && anchor.Anchor.OnlyWhen is { } condition)
        {
            text.Append(CultureInfo.InvariantCulture, $"note: the anchor {anchor.Anchor.Name} exists only when {condition}; without it Istio silently skips the patch and the module does not run.\n");
            if (phase == FilterPhase.Authz)
            {
                text.Append("note: with a CUSTOM AuthorizationPolicy the first envoy.filters.http.rbac is CUSTOM's shadow filter, so the module lands before CUSTOM authorization.\n");
            }
        }

        return text.ToString();
    }

    private static string Placement(PhaseAnchor anchor, bool viaEnvoyFilter, int? priority)
    {
        var order = priority is null ? "unset priority" : $"priority {priority.Value.ToString(CultureInfo.InvariantCulture)}; higher runs first";
        return viaEnvoyFilter
            ? $"EnvoyFilter INSERT_BEFORE {anchor.Anchor.Name}, {order}"
            : $"placed by istiod, {order}{(priority is null ? " (sorts after every set priority)" : string.Empty)}";
    }

    /// <summary>The YAML name of an output kind.</summary>
    /// <param name="output">The output kind.</param>
    /// <returns>E.g. <c>EnvoyFilterECDS</c>.</returns>
    public static string OutputName(IstioOutputKind output) => output switch
    {
        IstioOutputKind.EnvoyFilterEcds => "EnvoyFilterECDS",
        IstioOutputKind.WasmPlugin => "WasmPlugin",
        IstioOutputKind.TrafficExtension => "TrafficExtension",
        _ => "EnvoyFilter",
    };

    /// <summary>The YAML name of a phase.</summary>
    /// <param name="phase">The phase.</param>
    /// <returns><c>AUTHN</c>, <c>AUTHZ</c>, <c>STATS</c>, or null.</returns>
    public static string? PhaseName(FilterPhase? phase) => phase switch
    {
        FilterPhase.Authn => "AUTHN",
        FilterPhase.Authz => "AUTHZ",
        FilterPhase.Stats => "STATS",
        _ => null,
    };
}
