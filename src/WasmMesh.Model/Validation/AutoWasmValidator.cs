namespace WasmMesh.Model.Validation;

/// <summary>
/// Checks an <see cref="AutoWasm"/> and returns every problem with its field path, e.g.
/// <c>spec.filter.applyPorts[1]: 70000 is not a port (1-65535)</c>.
/// </summary>
public static class AutoWasmValidator
{
    /// <summary>The longest rootID or vmID accepted.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Validates a resource.</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>Every problem; empty when valid.</returns>
    public static IReadOnlyList<ValidationProblem> Validate(AutoWasm resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var problems = new List<ValidationProblem>();
        if (resource.ApiVersion != AutoWasm.ApiVersionValue)
        {
            problems.Add(new("apiVersion", $"'{resource.ApiVersion}' is not served here; use {AutoWasm.ApiVersionValue}"));
        }

        if (resource.Kind != AutoWasm.KindValue)
        {
            problems.Add(new("kind", $"'{resource.Kind}' is not {AutoWasm.KindValue}"));
        }

        ValidateMetadata(resource.Metadata, problems);
        ValidateSpec(resource.Spec, problems);
        return problems;
    }

    /// <summary>Validates a resource and throws when it has problems.</summary>
    /// <param name="resource">The resource.</param>
    /// <exception cref="AutoWasmValidationException">The resource is invalid.</exception>
    public static void ThrowIfInvalid(AutoWasm resource)
    {
        var problems = Validate(resource);
        if (problems.Count > 0)
        {
            throw new AutoWasmValidationException(problems);
        }
    }

    private static void ValidateMetadata(k8s.Models.V1ObjectMeta? metadata, List<ValidationProblem> problems)
    {
        metadata ??= new k8s.Models.V1ObjectMeta();
        if (string.IsNullOrEmpty(metadata.Name))
        {
            problems.Add(new("metadata.name", "required field is missing; the EnvoyFilter gets the same name"));
        }
        else if (KubernetesNames.CheckSubdomain(metadata.Name) is { } nameError)
        {
            problems.Add(new("metadata.name", nameError));
        }

        if (metadata.NamespaceProperty is { Length: > 0 } ns && KubernetesNames.CheckLabel(ns) is { } nsError)
        {
            problems.Add(new("metadata.namespace", nsError));
        }

        ValidateLabels(metadata.Labels, "metadata.labels", problems);
    }

    private static void ValidateSpec(AutoWasmSpec spec, List<ValidationProblem> problems)
    {
        var filter = spec.Filter;
        ValidateSource(filter.Source, problems);

        var seen = new Dictionary<int, int>();
        for (var i = 0; i < filter.ApplyPorts.Count; i++)
        {
            var port = filter.ApplyPorts[i];
            var path = $"spec.filter.applyPorts[{i}]";
            if (port is < 1 or > 65535)
            {
                problems.Add(new(path, $"{port} is not a port (1-65535)"));
            }
            else if (seen.TryGetValue(port, out var first))
            {
                problems.Add(new(path, $"{port} is listed twice (also at applyPorts[{first}]); list each port once"));
            }
            else
            {
                seen[port] = i;
            }
        }

        ValidateId(filter.RootId, "spec.filter.rootID", problems);
        ValidateId(filter.VmId, "spec.filter.vmID", problems);

        if (spec.Secret is { } secret)
        {
            if (KubernetesNames.CheckSubdomain(secret) is { } secretError)
            {
                problems.Add(new("spec.secret", secretError + " (the name of a Secret in the AutoWasm's namespace)"));
            }

            if (filter.Source.Object is not null && filter.Source.Registry is null)
            {
                problems.Add(new("spec.secret", "is only used with source.registry; object sources must be public: remove spec.secret"));
            }
        }

        if (filter.Priority == int.MinValue)
        {
            problems.Add(new("spec.filter.priority", $"{int.MinValue} is reserved (Istio sorts an unset priority as it); use {int.MinValue + 1} or more, or omit priority"));
        }

        if (filter.FailOpen is { } failOpen && filter.FailurePolicy is { } policy && (policy == FailurePolicy.FailOpen) != failOpen)
        {
            problems.Add(new("spec.filter.failOpen", $"failOpen: {(failOpen ? "true" : "false")} contradicts failurePolicy: {PolicyName(policy)}; remove failOpen (failurePolicy replaces it)"));
        }

        if (spec.Output is { } output)
        {
            problems.AddRange(ValidateForOutput(spec, output));
        }

        if (spec.Verify is { } verify)
        {
            ValidateVerify(verify, filter.Source, problems);
        }
        else if (filter.Source.Object?.SignatureUrl is not null)
        {
            problems.Add(new("spec.filter.source.object.signatureUrl", "is only checked with spec.verify: add spec.verify.publicKeys, or remove signatureUrl"));
        }

        if (spec.Selector is { } selector)
        {
            if (selector.MatchLabels is null || selector.MatchLabels.Count == 0)
            {
                problems.Add(new("spec.selector.matchLabels", "must name at least one label; omit spec.selector to apply the filter to every pod in the namespace"));
            }
            else
            {
                ValidateLabels(selector.MatchLabels, "spec.selector.matchLabels", problems);
            }
        }
    }

    /// <summary>
    /// Checks that a spec can be expressed as the given output kind: WasmPlugin and TrafficExtension take a mapping as
    /// plugin configuration and have no VM ID.
    /// </summary>
    /// <param name="spec">The spec.</param>
    /// <param name="output">The output kind in effect (<c>spec.output</c> or wasmer's default).</param>
    /// <returns>Every problem; empty when the spec can be written as <paramref name="output"/>.</returns>
    public static IReadOnlyList<ValidationProblem> ValidateForOutput(AutoWasmSpec spec, IstioOutputKind output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<ValidationProblem>();
        if (output is not (IstioOutputKind.WasmPlugin or IstioOutputKind.TrafficExtension))
        {
            return problems;
        }

        var kind = output == IstioOutputKind.WasmPlugin ? "WasmPlugin" : "TrafficExtension";
        if (spec.Filter.Configuration is { } configuration && configuration.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            problems.Add(new("spec.filter.configuration", $"{kind} pluginConfig must be a mapping, got a {configuration.ValueKind.ToString().ToLowerInvariant()}; write it as a mapping (e.g. {{value: ...}}) or use output EnvoyFilter"));
        }

        if (!string.IsNullOrEmpty(spec.Filter.VmId))
        {
            problems.Add(new("spec.filter.vmID", $"{kind} has no VM ID (istiod chooses it); remove vmID or use output EnvoyFilter or EnvoyFilterECDS"));
        }

        return problems;
    }

    /// <summary>The YAML name of a failure policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns><c>FailClosed</c>, <c>FailOpen</c> or <c>FailReload</c>.</returns>
    public static string PolicyName(FailurePolicy policy) => policy switch
    {
        FailurePolicy.FailOpen => "FailOpen",
        FailurePolicy.FailReload => "FailReload",
        _ => "FailClosed",
    };

    private static void ValidateSource(WasmSourceSpec source, List<ValidationProblem> problems)
    {
        switch (source.Registry, source.Object)
        {
            case (null, null):
                problems.Add(new("spec.filter.source", "set exactly one of registry and object (neither is set)"));
                return;
            case (not null, not null):
                problems.Add(new("spec.filter.source", "set exactly one of registry and object (both are set)"));
                break;
        }

        if (source.Registry is { } registry && !ImageReference.TryParse(registry.Image, out _, out var imageError))
        {
            problems.Add(new("spec.filter.source.registry.image", imageError));
        }

        if (source.Object is { } obj)
        {
            if (CheckUrl(obj.Url) is { } urlError)
            {
                problems.Add(new("spec.filter.source.object.url", urlError));
            }

            if (obj.Sha256 is { } pin && !Digest.TryParseSha256(pin, out _, out var pinError))
            {
                problems.Add(new("spec.filter.source.object.sha256", pinError));
            }

            if (obj.SignatureUrl is { } signatureUrl && CheckUrl(signatureUrl) is { } signatureUrlError)
            {
                problems.Add(new("spec.filter.source.object.signatureUrl", signatureUrlError));
            }
        }
    }

    private static void ValidateVerify(VerifySpec verify, WasmSourceSpec source, List<ValidationProblem> problems)
    {
        if (verify.PublicKeys.Count == 0)
        {
            problems.Add(new("spec.verify.publicKeys", "must name at least one Secret holding a public key (e.g. {name: cosign} for a Secret made by 'cosign generate-key-pair k8s://NS/cosign'); omit spec.verify to deploy unsigned modules"));
        }

        var seen = new Dictionary<(string, string), int>();
        for (var i = 0; i < verify.PublicKeys.Count; i++)
        {
            var key = verify.PublicKeys[i];
            var path = $"spec.verify.publicKeys[{i}]";
            if (string.IsNullOrEmpty(key.Name))
            {
                problems.Add(new(path + ".name", "required field is missing; name a Secret in the AutoWasm's namespace"));
            }
            else if (KubernetesNames.CheckSubdomain(key.Name) is { } nameError)
            {
                problems.Add(new(path + ".name", nameError + " (the name of a Secret in the AutoWasm's namespace)"));
            }

            if (key.Key is { } dataKey && !IsSecretDataKey(dataKey))
            {
                problems.Add(new(path + ".key", $"'{Short(dataKey)}' is not a Secret data key (1-253 characters of letters, digits, '-', '_' and '.')"));
            }

            var identity = (key.Name, key.Key ?? PublicKeyReference.DefaultKey);
            if (!seen.TryAdd(identity, i))
            {
                problems.Add(new(path, $"names the same key as publicKeys[{seen[identity]}]; list each key once"));
            }
        }

        if (source.Object is { } obj && obj.SignatureUrl is null)
        {
            problems.Add(new("spec.filter.source.object.signatureUrl", "required with spec.verify for object sources: give the URL of the module's 'cosign sign-blob' signature"));
        }

        if (source.Object is { } pinned && pinned.Sha256 is null && verify.EffectiveMode == VerificationMode.Enforce)
        {
            problems.Add(new("spec.filter.source.object.sha256", "required when spec.verify.mode is Enforce for object sources: the signature is checked against this digest before the module is downloaded"));
        }
    }

    private static bool IsSecretDataKey(string key)
        => key.Length is > 0 and <= 253 && key is not ("." or "..") && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Checks an object-source URL: absolute http or https, with a host and no credentials.</summary>
    /// <param name="url">The URL text.</param>
    /// <returns>Why it is invalid, or null when valid.</returns>
    public static string? CheckUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || url.StartsWith('/'))
        {
            return $"'{Short(url)}' is not an absolute URL; write it as https://host/path/filter.wasm";
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return $"scheme '{uri.Scheme}' is not supported; use an http or https URL";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return $"'{Short(url)}' has no host";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not contain credentials (user:password@); object sources must be public";
        }

        return null;
    }

    private static void ValidateId(string? id, string path, List<ValidationProblem> problems)
    {
        if (id is null)
        {
            return;
        }

        if (id.Length > MaxIdLength)
        {
            problems.Add(new(path, $"is {id.Length} characters, more than {MaxIdLength}"));
        }

        if (id.Any(char.IsControl))
        {
            problems.Add(new(path, "contains a control character"));
        }
    }

    private static void ValidateLabels(IEnumerable<KeyValuePair<string, string>>? labels, string path, List<ValidationProblem> problems)
    {
        if (labels is null)
        {
            return;
        }

        foreach (var (key, value) in labels)
        {
            if (KubernetesNames.CheckLabelKey(key) is { } keyError)
            {
                problems.Add(new($"{path}.{key}", keyError));
            }

            if (KubernetesNames.CheckLabelValue(value) is { } valueError)
            {
                problems.Add(new($"{path}.{key}", valueError));
            }
        }
    }

    private static string Short(string value) => value.Length <= 100 ? value : value[..100] + "…";
}
