using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>Typed resource clients (with lenient, source-generated decoding) over KubernetesClient's <see cref="IKubernetes"/>.</summary>
public static class KubernetesResourceExtensions
{
    /// <summary>
    /// A client for one resource type. <paramref name="typeInfo"/> (from the caller's source-generated
    /// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>) reads and writes the objects (its context
    /// must include <see cref="System.Text.Json.JsonElement"/>, which V1ObjectMeta's managedFields use). Custom
    /// resources support every operation; core resources (Secrets, Leases, Events) are listed and watched (e.g. by an
    /// informer) and otherwise read and written with the typed <see cref="IKubernetes"/> operations.
    /// </summary>
    /// <typeparam name="T">The object type.</typeparam>
    /// <param name="kubernetes">The Kubernetes client.</param>
    /// <param name="resourceType">The group, version, plural and scope.</param>
    /// <param name="typeInfo">The JSON metadata of <typeparamref name="T"/>.</param>
    /// <param name="defaultNamespace">The namespace of written objects that name none; null for <c>default</c>.</param>
    /// <returns>The resource client (cheap; create as many as needed).</returns>
    public static IKubernetesResourceClient<T> Resource<T>(this IKubernetes kubernetes, KubernetesResourceType resourceType, JsonTypeInfo<T> typeInfo, string? defaultNamespace = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(resourceType);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new KubernetesResourceClient<T>(kubernetes, resourceType, typeInfo, defaultNamespace);
    }
}
