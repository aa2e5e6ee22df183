using System.Text.Json.Nodes;

namespace WasmMesh.Testing.Server;

/// <summary>Where objects of one resource are stored: group and plural (shared by all served versions).</summary>
internal readonly record struct StorageKey(string Group, string Plural);

/// <summary>A printer column: a JSONPath into the object, or a computed cell for built-in kinds.</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, string Description = "", int Priority = 0, string Format = "")
{
    public Func<JsonObject, DateTimeOffset, JsonNode?>? Compute { get; init; }
}

/// <summary>One served group/version/resource.</summary>
internal sealed record ResourceDefinition
{
    public string Group { get; init; } = string.Empty;

    public required string Version { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public string ListKind => Kind + "List";

    public bool Namespaced { get; init; } = true;

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public bool HasStatus { get; init; }

    public bool TracksGeneration { get; init; }

    public bool IsCustom { get; init; }

    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [];

    /// <summary>The version's structural schema (custom resources with an <c>openAPIV3Schema</c>); null accepts any fields.</summary>
    public StructuralSchema? Schema { get; init; }

    public StorageKey Key => new(Group, Plural);

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public static IReadOnlyList<ResourceDefinition> BuiltIns { get; } =
    [
        new()
        {
            Version = "v1", Plural = "namespaces", Singular = "namespace", Kind = "Namespace", Namespaced = false, ShortNames = ["ns"], HasStatus = true,
            Columns = [new("Status", "string", ".status.phase", "The phase of the namespace"), Age()],
        },
        new()
        {
            Version = "v1", Plural = "secrets", Singular = "secret", Kind = "Secret",
            Columns =
            [
                new("Type", "string", ".type", "The type of the secret"),
                new("Data", "string", ".data", "The number of entries in the data") { Compute = (o, _) => JsonValue.Create((o["data"] as JsonObject)?.Count ?? 0) },
                Age(),
            ],
        },
        new()
        {
            Version = "v1", Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap", ShortNames = ["cm"],
            Columns =
            [
                new("Data", "string", ".data", "The number of entries in the data") { Compute = (o, _) => JsonValue.Create(((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0)) },
                Age(),
            ],
        },
        new()
        {
            Version = "v1", Plural = "events", Singular = "event", Kind = "Event", ShortNames = ["ev"],
            Columns =
            [
                new("Last Seen", "string", ".lastTimestamp", "When the event was last seen") { Compute = (o, now) => AgeOf(o["lastTimestamp"] ?? o["eventTime"] ?? o["metadata"]?["creationTimestamp"], now) },
                new("Type", "string", ".type", "The event type"),
                new("Reason", "string", ".reason", "The reason"),
                new("Object", "string", ".involvedObject", "The object the event is about") { Compute = (o, _) => JsonValue.Create($"{o["involvedObject"]?["kind"]?.ToString().ToLowerInvariant()}/{o["involvedObject"]?["name"]}") },
                new("Message", "string", ".message", "The message"),
            ],
        },
        new()
        {
            Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Singular = "lease", Kind = "Lease",
            Columns = [new("Holder", "string", ".spec.holderIdentity", "The holder of the lease"), Age()],
        },
        new()
        {
            Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions", Singular = "customresourcedefinition",
            Kind = "CustomResourceDefinition", Namespaced = false, ShortNames = ["crd", "crds"], Categories = ["api-extensions"], HasStatus = true, TracksGeneration = true,
            Columns = [new("Created At", "date", ".metadata.creationTimestamp", "When the CRD was created") { Compute = (o, _) => o["metadata"]?["creationTimestamp"]?.DeepClone() }],
        },
    ];

    public static PrinterColumn Age() =>
        new("Age", "date", ".metadata.creationTimestamp", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    public static JsonNode? AgeOf(JsonNode? timestamp, DateTimeOffset now) =>
        timestamp is JsonValue v && DateTimeOffset.TryParse(v.ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? JsonValue.Create(HumanDuration.Format(now - t))
            : JsonValue.Create("<unknown>");

    /// <summary>The definitions a CRD object serves (one per served version).</summary>
    public static List<ResourceDefinition> FromCrd(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? throw new ApiError(422, "Invalid", "CustomResourceDefinition.spec is required");
        var group = spec["group"]?.ToString() ?? string.Empty;
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var plural = names["plural"]?.ToString() ?? string.Empty;
        var kind = names["kind"]?.ToString() ?? string.Empty;
        var name = crd["metadata"]?["name"]?.ToString() ?? string.Empty;
        string? problem = null;
        if (group.Length == 0 || !group.Contains('.', StringComparison.Ordinal))
        {
            problem = $"spec.group: Invalid value: \"{group}\": should be a domain with at least one dot";
        }
        else if (plural.Length == 0 || plural.Any(char.IsUpper))
        {
            problem = $"spec.names.plural: Invalid value: \"{plural}\": must be lowercase and non-empty";
        }
        else if (kind.Length == 0)
        {
            problem = "spec.names.kind: Required value";
        }
        else if (name != $"{plural}.{group}")
        {
            problem = $"metadata.name: Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group";
        }

        if (spec["versions"] is not JsonArray versions || versions.Count == 0)
        {
            problem ??= "spec.versions: Invalid value: must have exactly one version marked as storage version";
            versions = [];
        }

        if (problem is not null)
        {
            throw new ApiError(422, "Invalid", $"CustomResourceDefinition.apiextensions.k8s.io \"{name}\" is invalid: {problem}");
        }

        var singular = names["singular"]?.ToString() is { Length: > 0 } s ? s : kind.ToLowerInvariant();
        var shortNames = (names["shortNames"] as JsonArray)?.Select(n => n!.ToString()).ToList() ?? [];
        var categories = (names["categories"] as JsonArray)?.Select(n => n!.ToString()).ToList() ?? [];
        var namespaced = spec["scope"]?.ToString() != "Cluster";
        var result = new List<ResourceDefinition>();
        foreach (var v in versions.OfType<JsonObject>())
        {
            if (v["served"]?.GetValue<bool>() == false)
            {
                continue;
            }

            var columns = new List<PrinterColumn>();
            if (v["additionalPrinterColumns"] is JsonArray printer && printer.Count > 0)
            {
                foreach (var c in printer.OfType<JsonObject>())
                {
                    columns.Add(new PrinterColumn(
                        c["name"]?.ToString() ?? string.Empty,
                        c["type"]?.ToString() ?? "string",
                        c["jsonPath"]?.ToString() ?? string.Empty,
                        c["description"]?.ToString() ?? string.Empty,
                        c["priority"]?.GetValue<int>() ?? 0,
                        c["format"]?.ToString() ?? string.Empty));
                }
            }
            else
            {
                columns.Add(Age());
            }

            var versionName = v["name"]?.ToString() ?? "v1";
            var schema = v["schema"]?["openAPIV3Schema"] is JsonObject openApi
                ? StructuralSchema.Parse(openApi, $"spec.versions[{versionName}].schema.openAPIV3Schema")
                : null;
            result.Add(new ResourceDefinition
            {
                Group = group,
                Version = versionName,
                Plural = plural,
                Singular = singular,
                Kind = kind,
                Namespaced = namespaced,
                ShortNames = shortNames,
                Categories = categories,
                HasStatus = v["subresources"]?["status"] is not null,
                TracksGeneration = true,
                IsCustom = true,
                Columns = columns,
                Schema = schema,
            });
        }

        return result;
    }
}
