using System.Text.Json.Nodes;

namespace WasmMesh.Kubernetes;

/// <summary>A PATCH body and its type. Build with <see cref="Merge(JsonNode)"/>, <see cref="Json(JsonArray)"/> or <see cref="Apply(string)"/>.</summary>
public sealed record KubernetesPatch
{
    /// <summary>The patch type.</summary>
    public required KubernetesPatchType Type { get; init; }

    /// <summary>The body as JSON text (YAML is also accepted for <see cref="KubernetesPatchType.Apply"/>).</summary>
    public required string Content { get; init; }

    /// <summary>The content type sent for <see cref="Type"/>.</summary>
    public string MediaType => Type switch
    {
        KubernetesPatchType.Merge => "application/merge-patch+json",
        KubernetesPatchType.Json => "application/json-patch+json",
        KubernetesPatchType.StrategicMerge => "application/strategic-merge-patch+json",
        KubernetesPatchType.Apply => "application/apply-patch+yaml",
        _ => throw new InvalidOperationException($"Unknown patch type {Type}."),
    };

    /// <summary>A JSON merge patch: objects merge, <c>null</c> deletes a field, arrays are replaced.</summary>
    /// <param name="patch">The patch document.</param>
    /// <returns>The patch.</returns>
    public static KubernetesPatch Merge(JsonNode patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new KubernetesPatch { Type = KubernetesPatchType.Merge, Content = patch.ToJsonString() };
    }

    /// <summary>A JSON merge patch from JSON text.</summary>
    /// <param name="json">The patch document.</param>
    /// <returns>The patch.</returns>
    public static KubernetesPatch Merge(string json)
    {
        ArgumentException.ThrowIfNullOrEmpty(json);
        return new KubernetesPatch { Type = KubernetesPatchType.Merge, Content = json };
    }

    /// <summary>A JSON patch: a list of <c>{op, path, value}</c> operations (<c>test</c> makes it conditional).</summary>
    /// <param name="operations">The operations.</param>
    /// <returns>The patch.</returns>
    public static KubernetesPatch Json(JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return new KubernetesPatch { Type = KubernetesPatchType.Json, Content = operations.ToJsonString() };
    }

    /// <summary>A server-side apply configuration (JSON or YAML text of the fields this manager owns).</summary>
    /// <param name="configuration">The apply configuration, with apiVersion, kind and metadata.name.</param>
    /// <returns>The patch.</returns>
    public static KubernetesPatch Apply(string configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        return new KubernetesPatch { Type = KubernetesPatchType.Apply, Content = configuration };
    }
}
