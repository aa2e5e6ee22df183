using System.Text.Json;
using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Istio.Extensions;
using WasmMesh.Istio.Rendering;
using WasmMesh.Model;
using WasmMesh.Model.Validation;

namespace WasmMesh.Istio;

/// <summary>
/// Builds any of the four outputs for an AutoWasm: EnvoyFilter (inline Wasm, Envoy fetches the module),
/// EnvoyFilterECDS, WasmPlugin and TrafficExtension (istio-agent fetches it through ECDS). Every result is checked
/// against <see cref="IstioFieldTable"/> for the target Istio release: nothing the release lacks is ever returned.
/// </summary>
/// <remarks>
/// WasmPlugin and TrafficExtension: <c>url</c> is wasmer's <c>http://&lt;service&gt;.&lt;ns&gt;.svc.&lt;domain&gt;:&lt;port&gt;/wasm/&lt;sha256&gt;</c>
/// (the agent needs a scheme), <c>sha256</c>, <c>pluginName</c> = rootID, <c>pluginConfig</c> = configuration,
/// <c>match</c> from context and applyPorts (SIDECAR_INBOUND → SERVER, SIDECAR_OUTBOUND and GATEWAY → CLIENT),
/// <c>selector</c>, <c>imagePullPolicy: IfNotPresent</c>, phase and priority passed through, failure policy as
/// <c>failStrategy</c>; never an <c>imagePullSecret</c> (wasmer holds the credentials and serves the module by digest).
/// </remarks>
public sealed class IstioOutputBuilder
{
    private readonly EnvoyFilterBuilder _envoyFilters;
    private readonly IstioRelease _release;

    /// <summary>Creates a builder.</summary>
    /// <param name="options">Service coordinates, fetch settings and the target Istio release.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public IstioOutputBuilder(EnvoyFilterBuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _envoyFilters = new EnvoyFilterBuilder(options);
        _release = IstioRelease.Parse(options.IstioVersion);
    }

    /// <summary>The target Istio release.</summary>
    public IstioRelease Release => _release;

    /// <summary>The EnvoyFilter builder used for the EnvoyFilter outputs.</summary>
    public EnvoyFilterBuilder EnvoyFilters => _envoyFilters;

    /// <summary>The output kind in effect for an AutoWasm: its <c>spec.output</c>, else <paramref name="fallback"/>.</summary>
    /// <param name="resource">The AutoWasm.</param>
    /// <param name="fallback">The default (wasmer's setting; EnvoyFilter unless configured otherwise).</param>
    /// <returns>The kind.</returns>
    public static IstioOutputKind OutputFor(AutoWasm resource, IstioOutputKind fallback = IstioOutputKind.EnvoyFilter)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Spec.Output ?? fallback;
    }

    /// <summary>Builds the output <see cref="OutputFor"/> chooses.</summary>
    /// <param name="resource">A valid AutoWasm.</param>
    /// <param name="sha256">The module's sha256.</param>
    /// <param name="fallback">The kind used when the AutoWasm names none.</param>
    /// <returns>The resource and notes.</returns>
    /// <exception cref="IstioOutputException">The AutoWasm cannot be written as that kind for the target release.</exception>
    public IstioOutput BuildDefault(AutoWasm resource, Digest sha256, IstioOutputKind fallback = IstioOutputKind.EnvoyFilter)
        => Build(resource, sha256, OutputFor(resource, fallback));

    /// <summary>Builds the output of kind <paramref name="kind"/> for an AutoWasm whose module has the given sha256.</summary>
    /// <param name="resource">A valid AutoWasm.</param>
    /// <param name="sha256">The module's sha256.</param>
    /// <param name="kind">The output kind.</param>
    /// <param name="accessToken">The access token a protected endpoint requires in the module URL (<c>/wasm/&lt;sha256&gt;/&lt;token&gt;</c>), or <see langword="null"/>.</param>
    /// <returns>The resource and notes.</returns>
    /// <exception cref="IstioOutputException">The AutoWasm cannot be written as <paramref name="kind"/> for the target release.</exception>
    public IstioOutput Build(AutoWasm resource, Digest sha256, IstioOutputKind kind, string? accessToken = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var outputName = IstioFilterChain.OutputName(kind);
        var problems = AutoWasmValidator.ValidateForOutput(resource.Spec, kind).Select(p => p.ToString()).ToList();
        if (problems.Count > 0)
        {
            throw new IstioOutputException(outputName, problems);
        }

        var notes = new List<string>();
        IIstioResource built = kind switch
        {
            IstioOutputKind.EnvoyFilter => _envoyFilters.Build(resource, sha256, accessToken),
            IstioOutputKind.EnvoyFilterEcds => _envoyFilters.BuildEcds(resource, sha256, accessToken),
            IstioOutputKind.WasmPlugin => BuildWasmPlugin(resource, sha256, accessToken, notes),
            IstioOutputKind.TrafficExtension => BuildTrafficExtension(resource, sha256, accessToken, notes),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown output kind"),
        };

        if (kind is IstioOutputKind.EnvoyFilter or IstioOutputKind.EnvoyFilterEcds)
        {
            var anchor = IstioFilterChain.AnchorFor(resource.Spec.Filter.Phase);
            if (anchor.Anchor.OnlyWhen is { } condition)
            {
                notes.Add($"the {IstioFilterChain.PhaseName(anchor.Phase)} anchor {anchor.Anchor.Name} exists only when {condition}; without it Istio silently skips the patch and the module does not run (WasmPlugin and TrafficExtension outputs have no such condition)");
            }
        }

        using var document = IstioRenderer.ToJsonDocument(built);
        var tableProblems = IstioFieldTable.Check(built.Kind, document.RootElement.GetProperty("spec"), _release);
        if (tableProblems.Count > 0)
        {
            throw new IstioOutputException(outputName, tableProblems.Select(p => p + " (set the target Istio version, or change the AutoWasm)").ToList());
        }

        return new IstioOutput(kind, built, notes);
    }

    private WasmPlugin BuildWasmPlugin(AutoWasm resource, Digest sha256, string? accessToken, List<string> notes)
    {
        var filter = resource.Spec.Filter;
        return new WasmPlugin
        {
            Metadata = _envoyFilters.OutputMetadata(resource),
            Spec = new WasmPluginSpec
            {
                Selector = Selector(resource),
                Url = _envoyFilters.AgentModuleUrl(sha256, accessToken),
                Sha256 = sha256.Hex,
                ImagePullPolicy = "IfNotPresent",
                PluginName = string.IsNullOrEmpty(filter.RootId) ? null : filter.RootId,
                PluginConfig = filter.Configuration,
                Phase = IstioFilterChain.PhaseName(filter.Phase),
                Priority = filter.Priority,
                FailStrategy = FailStrategy(filter.EffectiveFailurePolicy),
                Match = Match(filter, IstioRelease.Parse("1.16"), "WasmPlugin", notes),
            },
        };
    }

    private TrafficExtension BuildTrafficExtension(AutoWasm resource, Digest sha256, string? accessToken, List<string> notes)
    {
        var filter = resource.Spec.Filter;
        return new TrafficExtension
        {
            Metadata = _envoyFilters.OutputMetadata(resource),
            Spec = new TrafficExtensionSpec
            {
                Selector = Selector(resource),
                Phase = IstioFilterChain.PhaseName(filter.Phase),
                Priority = filter.Priority,
                Match = Match(filter, IstioRelease.Oldest, "TrafficExtension", notes),
                Wasm = new WasmExtension
                {
                    Url = _envoyFilters.AgentModuleUrl(sha256, accessToken),
                    Sha256 = sha256.Hex,
                    ImagePullPolicy = "IfNotPresent",
                    PluginName = string.IsNullOrEmpty(filter.RootId) ? null : filter.RootId,
                    PluginConfig = filter.Configuration,
                    FailStrategy = FailStrategy(filter.EffectiveFailurePolicy),
                },
            },
        };
    }

    private static WorkloadSelector? Selector(AutoWasm resource)
        => resource.Spec.Selector?.MatchLabels is { Count: > 0 } labels ? new WorkloadSelector { MatchLabels = labels } : null;

    private static string? FailStrategy(FailurePolicy policy) => policy switch
    {
        FailurePolicy.FailOpen => "FAIL_OPEN",
        FailurePolicy.FailReload => "FAIL_RELOAD",
        _ => null,
    };

    private EquatableArray<TrafficSelector> Match(WasmFilterSpec filter, IstioRelease matchSince, string kind, List<string> notes)
    {
        var context = filter.Context ?? TrafficContext.SidecarInbound;
        if (_release < matchSince && context == TrafficContext.SidecarInbound && filter.ApplyPorts.IsEmpty)
        {
            notes.Add($"Istio {_release} {kind} has no match field: istiod decides which listeners of the selected pods get the plugin");
            return default;
        }

        return new EquatableArray<TrafficSelector>([new TrafficSelector
        {
            Mode = context == TrafficContext.SidecarInbound ? "SERVER" : "CLIENT",
            Ports = new EquatableArray<PortSelector>(filter.ApplyPorts.Select(p => new PortSelector { Number = p }).ToArray()),
        }]);
    }
}
