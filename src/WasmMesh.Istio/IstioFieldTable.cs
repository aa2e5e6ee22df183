using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace WasmMesh.Istio;

/// <summary>One field of an Istio resource's spec and the release that introduced it.</summary>
/// <param name="Kind">The resource kind: <c>EnvoyFilter</c>, <c>WasmPlugin</c> or <c>TrafficExtension</c>.</param>
/// <param name="Path">The field path, arrays written <c>[]</c>, e.g. <c>spec.match[].ports[].number</c>.</param>
/// <param name="Since">The first release whose CRD has the field.</param>
/// <param name="Values">For enumerations: each allowed value and the first release that allows it.</param>
/// <param name="Opaque">Whether the field keeps unknown content (<c>x-kubernetes-preserve-unknown-fields</c>): nothing below it is checked.</param>
internal sealed record IstioField(string Kind, string Path, IstioRelease Since, IReadOnlyDictionary<string, IstioRelease>? Values, bool Opaque);

/// <summary>
/// Which spec fields (and enumeration values) each Istio release's CRDs have, for EnvoyFilter
/// (<c>networking.istio.io/v1alpha3</c>), WasmPlugin and TrafficExtension (<c>extensions.istio.io/v1alpha1</c>). Read
/// from Istio's CRDs of EnvoyFilter 1.10, 1.20 and the development branch, WasmPlugin 1.12 and the development branch,
/// and TrafficExtension on the development branch (1.30); fields first seen in a later file are dated by the release
/// notes (EnvoyFilter <c>priority</c> 1.11, WasmPlugin <c>vmConfig</c> 1.14, <c>match</c> 1.16, <c>failStrategy</c>
/// 1.19 with <c>FAIL_RELOAD</c> 1.27, <c>type</c> 1.20, <c>targetRefs</c> 1.22). A generated resource that uses a
/// field its target release lacks would be pruned silently by a structural schema or rejected by istiod, so
/// <see cref="Check"/> refuses it instead.
/// </summary>
internal static class IstioFieldTable
{
    // kind since path [value@since ...] [opaque]
    private const string Table = """
        EnvoyFilter 1.10 spec
        EnvoyFilter 1.10 spec.workloadSelector
        EnvoyFilter 1.10 spec.workloadSelector.labels opaque
        EnvoyFilter 1.11 spec.priority
        EnvoyFilter 1.22 spec.targetRefs opaque
        EnvoyFilter 1.10 spec.configPatches
        EnvoyFilter 1.10 spec.configPatches[]
        EnvoyFilter 1.10 spec.configPatches[].applyTo LISTENER@1.10 FILTER_CHAIN@1.10 NETWORK_FILTER@1.10 HTTP_FILTER@1.10 ROUTE_CONFIGURATION@1.10 VIRTUAL_HOST@1.10 HTTP_ROUTE@1.10 CLUSTER@1.10 EXTENSION_CONFIG@1.10 BOOTSTRAP@1.20 LISTENER_FILTER@1.20
        EnvoyFilter 1.10 spec.configPatches[].match
        EnvoyFilter 1.10 spec.configPatches[].match.context ANY@1.10 SIDECAR_INBOUND@1.10 SIDECAR_OUTBOUND@1.10 GATEWAY@1.10 WAYPOINT@1.30
        EnvoyFilter 1.10 spec.configPatches[].match.proxy
        EnvoyFilter 1.10 spec.configPatches[].match.proxy.proxyVersion
        EnvoyFilter 1.10 spec.configPatches[].match.proxy.metadata opaque
        EnvoyFilter 1.10 spec.configPatches[].match.listener
        EnvoyFilter 1.10 spec.configPatches[].match.listener.name
        EnvoyFilter 1.10 spec.configPatches[].match.listener.portName
        EnvoyFilter 1.10 spec.configPatches[].match.listener.portNumber
        EnvoyFilter 1.20 spec.configPatches[].match.listener.listenerFilter
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain.name
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain.sni
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain.transportProtocol
        EnvoyFilter 1.30 spec.configPatches[].match.listener.filterChain.transportSocket
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain.applicationProtocols
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain.destinationPort
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain.filter
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain.filter.name
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain.filter.subFilter
        EnvoyFilter 1.10 spec.configPatches[].match.listener.filterChain.filter.subFilter.name
        EnvoyFilter 1.10 spec.configPatches[].match.routeConfiguration opaque
        EnvoyFilter 1.10 spec.configPatches[].match.cluster opaque
        EnvoyFilter 1.30 spec.configPatches[].match.waypoint opaque
        EnvoyFilter 1.10 spec.configPatches[].patch
        EnvoyFilter 1.10 spec.configPatches[].patch.operation MERGE@1.10 ADD@1.10 REMOVE@1.10 INSERT_BEFORE@1.10 INSERT_AFTER@1.10 INSERT_FIRST@1.10 REPLACE@1.10 MERGE_AND_REPLACE_LIST@1.30
        EnvoyFilter 1.10 spec.configPatches[].patch.filterClass UNSPECIFIED@1.10 AUTHN@1.10 AUTHZ@1.10 STATS@1.10
        EnvoyFilter 1.10 spec.configPatches[].patch.value opaque
        WasmPlugin 1.12 spec
        WasmPlugin 1.12 spec.selector
        WasmPlugin 1.12 spec.selector.matchLabels opaque
        WasmPlugin 1.22 spec.targetRefs opaque
        WasmPlugin 1.12 spec.url
        WasmPlugin 1.12 spec.sha256
        WasmPlugin 1.12 spec.imagePullPolicy UNSPECIFIED_POLICY@1.12 IfNotPresent@1.12 Always@1.12
        WasmPlugin 1.12 spec.imagePullSecret
        WasmPlugin 1.12 spec.verificationKey
        WasmPlugin 1.12 spec.pluginConfig opaque
        WasmPlugin 1.12 spec.pluginName
        WasmPlugin 1.12 spec.phase UNSPECIFIED_PHASE@1.12 AUTHN@1.12 AUTHZ@1.12 STATS@1.12
        WasmPlugin 1.12 spec.priority
        WasmPlugin 1.19 spec.failStrategy FAIL_CLOSE@1.19 FAIL_OPEN@1.19 FAIL_RELOAD@1.27
        WasmPlugin 1.14 spec.vmConfig opaque
        WasmPlugin 1.16 spec.match
        WasmPlugin 1.16 spec.match[]
        WasmPlugin 1.16 spec.match[].mode UNDEFINED@1.16 CLIENT@1.16 SERVER@1.16 CLIENT_AND_SERVER@1.16
        WasmPlugin 1.16 spec.match[].ports
        WasmPlugin 1.16 spec.match[].ports[]
        WasmPlugin 1.16 spec.match[].ports[].number
        WasmPlugin 1.20 spec.type UNSPECIFIED_PLUGIN_TYPE@1.20 HTTP@1.20 NETWORK@1.20
        TrafficExtension 1.30 spec
        TrafficExtension 1.30 spec.selector
        TrafficExtension 1.30 spec.selector.matchLabels opaque
        TrafficExtension 1.30 spec.targetRefs opaque
        TrafficExtension 1.30 spec.phase UNSPECIFIED@1.30 AUTHN@1.30 AUTHZ@1.30 STATS@1.30
        TrafficExtension 1.30 spec.priority
        TrafficExtension 1.30 spec.match
        TrafficExtension 1.30 spec.match[]
        TrafficExtension 1.30 spec.match[].mode UNDEFINED@1.30 CLIENT@1.30 SERVER@1.30 CLIENT_AND_SERVER@1.30
        TrafficExtension 1.30 spec.match[].ports
        TrafficExtension 1.30 spec.match[].ports[]
        TrafficExtension 1.30 spec.match[].ports[].number
        TrafficExtension 1.30 spec.wasm
        TrafficExtension 1.30 spec.wasm.url
        TrafficExtension 1.30 spec.wasm.sha256
        TrafficExtension 1.30 spec.wasm.imagePullPolicy UNSPECIFIED_POLICY@1.30 IfNotPresent@1.30 Always@1.30
        TrafficExtension 1.30 spec.wasm.imagePullSecret
        TrafficExtension 1.30 spec.wasm.verificationKey
        TrafficExtension 1.30 spec.wasm.pluginConfig opaque
        TrafficExtension 1.30 spec.wasm.pluginName
        TrafficExtension 1.30 spec.wasm.failStrategy FAIL_CLOSE@1.30 FAIL_OPEN@1.30 FAIL_RELOAD@1.30
        TrafficExtension 1.30 spec.wasm.vmConfig opaque
        TrafficExtension 1.30 spec.wasm.type UNSPECIFIED_PLUGIN_TYPE@1.30 HTTP@1.30 NETWORK@1.30
        TrafficExtension 1.30 spec.lua opaque
        """;

    private static readonly FrozenDictionary<(string Kind, string Path), IstioField> ByPath = Parse();

    /// <summary>Every field, in table order.</summary>
    public static IReadOnlyList<IstioField> Fields { get; } = ByPath.Values.OrderBy(f => f.Kind, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal).ToArray();

    /// <summary>The first release that has a kind at all (the release of its <c>spec</c>).</summary>
    /// <param name="kind">The resource kind.</param>
    /// <returns>The release, or null when the table does not know the kind.</returns>
    public static IstioRelease? KindSince(string kind) => ByPath.TryGetValue((kind, "spec"), out var field) ? field.Since : null;

    /// <summary>Looks a field up.</summary>
    /// <param name="kind">The resource kind.</param>
    /// <param name="path">The path, arrays written <c>[]</c>.</param>
    /// <returns>The field, or null.</returns>
    public static IstioField? Find(string kind, string path) => ByPath.GetValueOrDefault((kind, path));

    /// <summary>
    /// Checks a resource's spec against a release: every field must exist in that release (and in the table), and
    /// every enumeration value must be allowed there.
    /// </summary>
    /// <param name="kind">The resource kind.</param>
    /// <param name="spec">The spec as JSON.</param>
    /// <param name="release">The target release.</param>
    /// <returns>Every problem, each naming the field and the release that introduced it; empty when valid.</returns>
    public static IReadOnlyList<string> Check(string kind, JsonElement spec, IstioRelease release)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var problems = new List<string>();
        if (KindSince(kind) is not { } since)
        {
            problems.Add($"{kind} is not a kind the Istio field table knows");
            return problems;
        }

        if (release < since)
        {
            problems.Add($"{kind} needs Istio {since} or later; the target is Istio {release}");
            return problems;
        }

        Walk(kind, spec, "spec", "spec", release, problems);
        return problems;
    }

    private static void Walk(string kind, JsonElement value, string path, string shownPath, IstioRelease release, List<string> problems)
    {
        if (!ByPath.TryGetValue((kind, path), out var field))
        {
            problems.Add($"{shownPath}: {kind} has no such field in any known Istio release");
            return;
        }

        if (release < field.Since)
        {
            problems.Add($"{shownPath}: {kind} has this field only from Istio {field.Since}; the target is Istio {release}");
            return;
        }

        if (field.Opaque)
        {
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Walk(kind, property.Value, $"{path}.{property.Name}", $"{shownPath}.{property.Name}", release, problems);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Walk(kind, item, path + "[]", $"{shownPath}[{i.ToString(CultureInfo.InvariantCulture)}]", release, problems);
                    i++;
                }

                break;
            case JsonValueKind.String when field.Values is { } values:
                var text = value.GetString()!;
                if (!values.TryGetValue(text, out var valueSince))
                {
                    problems.Add($"{shownPath}: '{text}' is not one of {string.Join(", ", values.Keys)}");
                }
                else if (release < valueSince)
                {
                    problems.Add($"{shownPath}: {text} exists only from Istio {valueSince}; the target is Istio {release}");
                }

                break;
        }
    }

    private static FrozenDictionary<(string, string), IstioField> Parse()
    {
        var map = new Dictionary<(string, string), IstioField>();
        foreach (var raw in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var opaque = parts[^1] == "opaque";
            Dictionary<string, IstioRelease>? values = null;
            foreach (var part in parts.Skip(3).Where(p => p != "opaque"))
            {
                var at = part.IndexOf('@', StringComparison.Ordinal);
                (values ??= new Dictionary<string, IstioRelease>(StringComparer.Ordinal))[part[..at]] = IstioRelease.Parse(part[(at + 1)..]);
            }

            map.Add((parts[0], parts[2]), new IstioField(parts[0], parts[2], IstioRelease.Parse(parts[1]), values, opaque));
        }

        return map.ToFrozenDictionary();
    }
}
