using System.Reflection;
using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>
/// Names a served resource: API group, version, plural and kind, and whether it is namespaced. Build one for
/// any custom resource (<c>new KubernetesResourceType { Group = "wasm.tcm.io", Version = "v1alpha1", Plural =
/// "autowasms", Kind = "AutoWasm" }</c>); the built-in ones are static members.
/// </summary>
public sealed record KubernetesResourceType
{
    /// <summary>The API group; empty for the core group.</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The API version, e.g. <c>v1</c>.</summary>
    public required string Version { get; init; }

    /// <summary>The plural resource name used in URLs, e.g. <c>secrets</c>.</summary>
    public required string Plural { get; init; }

    /// <summary>The kind, e.g. <c>Secret</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>True for namespaced resources (the default), false for cluster-scoped ones.</summary>
    public bool Namespaced { get; init; } = true;

    /// <summary>The <c>apiVersion</c> value: <c>version</c> for the core group, otherwise <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Core <c>v1</c> Secrets.</summary>
    public static KubernetesResourceType Secrets { get; } = new() { Version = "v1", Plural = "secrets", Kind = "Secret" };

    /// <summary>Core <c>v1</c> Events.</summary>
    public static KubernetesResourceType Events { get; } = new() { Version = "v1", Plural = "events", Kind = "Event" };

    /// <summary>Core <c>v1</c> Namespaces (cluster-scoped).</summary>
    public static KubernetesResourceType Namespaces { get; } = new() { Version = "v1", Plural = "namespaces", Kind = "Namespace", Namespaced = false };

    /// <summary><c>coordination.k8s.io/v1</c> Leases.</summary>
    public static KubernetesResourceType Leases { get; } = new() { Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Kind = "Lease" };

    /// <summary><c>apiextensions.k8s.io/v1</c> CustomResourceDefinitions (cluster-scoped).</summary>
    public static KubernetesResourceType CustomResourceDefinitions { get; } = new() { Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions", Kind = "CustomResourceDefinition", Namespaced = false };

    /// <summary>
    /// The resource type a KubernetesClient model declares with <see cref="KubernetesEntityAttribute"/>
    /// (group, version, kind and plural name).
    /// </summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="namespaced">Whether the resource is namespaced (the attribute does not say). Default: true.</param>
    /// <returns>The resource type.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no <see cref="KubernetesEntityAttribute"/>.</exception>
    public static KubernetesResourceType Of<T>(bool namespaced = true)
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity] attribute: build a KubernetesResourceType for it explicitly.");
        return new KubernetesResourceType
        {
            Group = entity.Group ?? string.Empty,
            Version = entity.ApiVersion,
            Kind = entity.Kind,
            Plural = entity.PluralName,
            Namespaced = namespaced,
        };
    }

    /// <summary>The URL path of the collection, e.g. <c>/apis/coordination.k8s.io/v1/namespaces/ns/leases</c>.</summary>
    /// <param name="namespaceName">The namespace; null or empty for all namespaces or a cluster-scoped resource.</param>
    /// <returns>The path, without a trailing slash.</returns>
    public string CollectionPath(string? namespaceName)
    {
        var prefix = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(namespaceName)
            ? $"{prefix}/namespaces/{Uri.EscapeDataString(namespaceName)}/{Plural}"
            : $"{prefix}/{Plural}";
    }

    /// <summary>The URL path of one object.</summary>
    /// <param name="namespaceName">The namespace; ignored for cluster-scoped resources.</param>
    /// <param name="name">The object name.</param>
    /// <returns>The path.</returns>
    public string ObjectPath(string? namespaceName, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Namespaced && string.IsNullOrEmpty(namespaceName))
        {
            throw new ArgumentException($"{Plural}.{Group} is namespaced: name a namespace for '{name}'.", nameof(namespaceName));
        }

        return $"{CollectionPath(namespaceName)}/{Uri.EscapeDataString(name)}";
    }

    /// <inheritdoc />
    public override string ToString() => Group.Length == 0 ? $"{Plural}/{Version}" : $"{Plural}.{Group}/{Version}";
}
