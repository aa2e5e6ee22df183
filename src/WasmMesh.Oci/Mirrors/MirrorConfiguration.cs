using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WasmMesh.Oci;

/// <summary>
/// Mirror rules (ImageDigestMirrorSet / ImageTagMirrorSet semantics) and containerd <c>hosts.toml</c> hosts, and the
/// plan they give for a reference: which places to try, in order, and which of them may resolve tags.
/// </summary>
/// <remarks>
/// Rules: the most specific matching source wins (the longest <c>host[/path]</c> prefix; any exact host beats a
/// <c>*.domain</c> wildcard; among wildcards the longest domain wins); rules with the same source merge their mirrors
/// in order; digest rules apply to digest references only and tag rules to tag references only; the source is tried
/// last unless a matching rule says <see cref="MirrorSourcePolicy.NeverContactSource"/>. When no rule matches, the
/// registry's hosts (or <c>_default</c>) from a hosts directory apply: each host in file order with its
/// capabilities, then the <c>server</c> (or the registry itself).
/// </remarks>
public sealed partial class MirrorConfiguration
{
    private readonly Dictionary<string, HostsFile> _hosts;

    private MirrorConfiguration(IReadOnlyList<MirrorRule> rules, Dictionary<string, HostsFile> hosts)
    {
        Rules = rules;
        _hosts = hosts;
    }

    /// <summary>No mirrors: every reference is fetched from its own registry.</summary>
    public static MirrorConfiguration Empty { get; } = new([], new(StringComparer.OrdinalIgnoreCase));

    /// <summary>The mirror rules.</summary>
    public IReadOnlyList<MirrorRule> Rules { get; }

    /// <summary>Whether there is nothing to apply.</summary>
    public bool IsEmpty => Rules.Count == 0 && _hosts.Count == 0;

    /// <summary>Hosts that must be reachable over plain HTTP or without TLS verification (from <c>http://</c> URLs and <c>skip_verify</c>).</summary>
    public IReadOnlyList<string> InsecureHosts => _hosts.Values.SelectMany(f => f.Hosts).Where(h => h.PlainHttp || h.SkipVerify).Select(h => h.Host)
        .Concat(_hosts.Values.Where(f => f.Server is { PlainHttp: true } or { SkipVerify: true }).Select(f => f.Server!.Host)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Creates a configuration from rules, validating every source and mirror.</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="source">Where they came from, for messages.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="MirrorConfigurationException">A source or mirror is malformed.</exception>
    public static MirrorConfiguration FromRules(IEnumerable<MirrorRule> rules, string source = "mirror rules")
    {
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToList();
        foreach (var rule in list)
        {
            if (!SourcePattern().IsMatch(rule.Source))
            {
                throw new MirrorConfigurationException(source, $"source '{rule.Source}' is not host[:port][/path] or *.domain");
            }

            foreach (var mirror in rule.Mirrors)
            {
                if (!MirrorPattern().IsMatch(mirror))
                {
                    throw new MirrorConfigurationException(source, $"mirror '{mirror}' of source '{rule.Source}' is not host[:port][/path] (no scheme, no wildcard)");
                }
            }

            if (rule.Mirrors.Count == 0 && rule.SourcePolicy == MirrorSourcePolicy.NeverContactSource)
            {
                throw new MirrorConfigurationException(source, $"source '{rule.Source}' has no mirrors and NeverContactSource: nothing could ever be fetched");
            }
        }

        return new MirrorConfiguration(list, new(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Reads ImageDigestMirrorSet and ImageTagMirrorSet objects (<c>config.openshift.io/v1</c>): each
    /// <c>spec.imageDigestMirrors[]</c> / <c>spec.imageTagMirrors[]</c> entry with <c>source</c>, <c>mirrors</c> and
    /// <c>mirrorSourcePolicy</c>. A <c>List</c> of them is read too.
    /// </summary>
    /// <param name="documents">The parsed objects (JSON or YAML converted to JSON).</param>
    /// <param name="source">The file name, for messages.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="MirrorConfigurationException">An object is malformed.</exception>
    public static MirrorConfiguration FromMirrorSets(IEnumerable<JsonNode?> documents, string source)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var rules = new List<MirrorRule>();
        var position = 0;
        foreach (var document in documents)
        {
            position++;
            if (document is null)
            {
                continue;
            }

            if (document is not JsonObject obj)
            {
                throw new MirrorConfigurationException(source, $"document {position} is not an object");
            }

            if ((string?)obj["kind"] == "List" && obj["items"] is JsonArray items)
            {
                rules.AddRange(FromMirrorSets(items, source).Rules);
                continue;
            }

            var kind = obj["kind"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)obj["kind"] : null;
            var (field, ruleKind) = kind switch
            {
                "ImageDigestMirrorSet" => ("imageDigestMirrors", MirrorRuleKind.Digest),
                "ImageTagMirrorSet" => ("imageTagMirrors", MirrorRuleKind.Tag),
                _ => throw new MirrorConfigurationException(source, $"document {position}: kind '{kind}' is not ImageDigestMirrorSet or ImageTagMirrorSet"),
            };
            if (obj["spec"]?[field] is not JsonArray entries)
            {
                throw new MirrorConfigurationException(source, $"document {position} ({kind}): spec.{field} is missing or not a list");
            }

            var index = 0;
            foreach (var entry in entries)
            {
                var where = $"document {position} ({kind}) spec.{field}[{index++}]";
                if (entry?["source"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    throw new MirrorConfigurationException(source, $"{where}: source is missing");
                }

                var mirrors = new List<string>();
                if (entry["mirrors"] is JsonArray mirrorArray)
                {
                    foreach (var mirror in mirrorArray)
                    {
                        mirrors.Add(mirror?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string)mirror! : throw new MirrorConfigurationException(source, $"{where}: mirrors must be strings"));
                    }
                }
                else if (entry["mirrors"] is not null)
                {
                    throw new MirrorConfigurationException(source, $"{where}: mirrors must be a list");
                }

                var policy = (string?)entry["mirrorSourcePolicy"] switch
                {
                    null or "AllowContactingSource" => MirrorSourcePolicy.AllowContactingSource,
                    "NeverContactSource" => MirrorSourcePolicy.NeverContactSource,
                    var other => throw new MirrorConfigurationException(source, $"{where}: mirrorSourcePolicy '{other}' is not AllowContactingSource or NeverContactSource"),
                };
                rules.Add(new MirrorRule { Source = (string)entry["source"]!, Mirrors = mirrors, Kind = ruleKind, SourcePolicy = policy });
            }
        }

        return FromRules(rules, source);
    }

    /// <summary>Reads a containerd hosts directory: <c>DIR/&lt;host&gt;/hosts.toml</c> (<c>host_port_</c>, <c>host:port</c> or <c>_default</c>).</summary>
    /// <param name="directory">The directory (e.g. <c>/etc/containerd/certs.d</c>).</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="MirrorConfigurationException">A hosts.toml is malformed or uses an unsupported setting.</exception>
    public static MirrorConfiguration FromHostsDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new MirrorConfigurationException(directory, "the hosts directory does not exist");
        }

        var hosts = new Dictionary<string, HostsFile>(StringComparer.OrdinalIgnoreCase);
        var fromPortDirectory = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var sub in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(sub, "hosts.toml");
            if (!File.Exists(file))
            {
                continue;
            }

            var name = Path.GetFileName(sub);
            var portForm = HostPortDirectory().Match(name);
            var key = portForm.Success ? $"{portForm.Groups[1].Value}:{portForm.Groups[2].Value}" : name;

            // containerd looks for host_port_ before host:port; the first found wins.
            if (hosts.ContainsKey(key) && fromPortDirectory.Contains(key))
            {
                continue;
            }

            hosts[key] = HostsToml.Read(file, name == "_default" ? null : key);
            if (portForm.Success)
            {
                fromPortDirectory.Add(key);
            }
        }

        return new MirrorConfiguration([], hosts);
    }

    /// <summary>Combines two configurations: rules of both (this one first) and hosts of both (this one wins per host).</summary>
    /// <param name="other">The other configuration.</param>
    /// <returns>The combination.</returns>
    public MirrorConfiguration Merge(MirrorConfiguration other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var hosts = new Dictionary<string, HostsFile>(other._hosts, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in _hosts)
        {
            hosts[key] = value;
        }

        return new MirrorConfiguration([.. Rules, .. other.Rules], hosts);
    }

    /// <summary>The places to try for <paramref name="reference"/>, in order.</summary>
    /// <param name="reference">The reference.</param>
    /// <returns>The candidates; never empty unless the source may not be contacted and there are no mirrors.</returns>
    public IReadOnlyList<MirrorCandidate> Plan(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var byDigest = reference.Digest is not null;
        var wanted = byDigest ? MirrorRuleKind.Digest : MirrorRuleKind.Tag;
        var full = $"{reference.Registry}/{reference.Repository}";
        (int Rank, int Length)? best = null;
        var matched = new List<MirrorRule>();
        foreach (var rule in Rules.Where(r => r.Kind == wanted))
        {
            var score = Score(rule.Source, reference, full);
            if (score is null)
            {
                continue;
            }

            if (best is null || score.Value.CompareTo(best.Value) > 0)
            {
                best = score;
                matched.Clear();
                matched.Add(rule);
            }
            else if (score.Value.CompareTo(best.Value) == 0 && rule.Source == matched[0].Source)
            {
                matched.Add(rule);
            }
        }

        if (matched.Count > 0)
        {
            var candidates = new List<MirrorCandidate>();
            var sourcePrefix = matched[0].Source;
            var remainder = sourcePrefix.StartsWith("*.", StringComparison.Ordinal) ? "/" + reference.Repository : full[sourcePrefix.Length..];
            foreach (var mirror in matched.SelectMany(r => r.Mirrors).Distinct(StringComparer.Ordinal))
            {
                var rewritten = Rewrite(reference, mirror + remainder);
                if (rewritten is not null)
                {
                    candidates.Add(new MirrorCandidate(rewritten, CanResolve: !byDigest, CanPull: true, IsMirror: true));
                }
            }

            if (matched.All(r => r.SourcePolicy == MirrorSourcePolicy.AllowContactingSource))
            {
                candidates.Add(new MirrorCandidate(reference, true, true, false));
            }

            return candidates;
        }

        if (_hosts.Count > 0 && (_hosts.GetValueOrDefault(reference.Registry) ?? _hosts.GetValueOrDefault("_default")) is { } file)
        {
            var candidates = file.Hosts
                .Select(h => new MirrorCandidate(reference with { Registry = h.Host }, h.CanResolve, h.CanPull, true))
                .ToList();
            var server = file.Server is { } s ? reference with { Registry = s.Host } : reference;
            candidates.Add(new MirrorCandidate(server, true, true, file.Server is { } custom && !string.Equals(custom.Host, reference.Registry, StringComparison.OrdinalIgnoreCase)));
            return candidates;
        }

        return [new MirrorCandidate(reference, true, true, false)];
    }

    private static (int Rank, int Length)? Score(string source, ImageReference reference, string full)
    {
        if (source.StartsWith("*.", StringComparison.Ordinal))
        {
            var domain = source[1..];
            return reference.HostName.EndsWith(domain, StringComparison.OrdinalIgnoreCase) ? (0, domain.Length) : null;
        }

        return string.Equals(full, source, StringComparison.OrdinalIgnoreCase) || full.StartsWith(source + "/", StringComparison.OrdinalIgnoreCase)
            ? (1, source.Length)
            : null;
    }

    private static ImageReference? Rewrite(ImageReference reference, string repositoryPath)
        => ImageReference.TryParse(repositoryPath + (reference.Digest is { } d ? "@" + d : ":" + reference.Tag), out var rewritten)
            ? rewritten with { Tag = reference.Tag, Digest = reference.Digest }
            : null;

    [GeneratedRegex(@"^(\*\.[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|[A-Za-z0-9.-]+(:[0-9]+)?(/[a-z0-9._/-]+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePattern();

    [GeneratedRegex(@"^[A-Za-z0-9.-]+(:[0-9]+)?(/[a-z0-9._/-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex MirrorPattern();

    [GeneratedRegex(@"^(.+)_([0-9]+)_$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPortDirectory();

    /// <summary>One hosts.toml: its hosts in file order and its server.</summary>
    internal sealed record HostsFile(IReadOnlyList<MirrorHost> Hosts, MirrorHost? Server);
}
