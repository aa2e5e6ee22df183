using System.Text.Json.Serialization.Metadata;

namespace WasmMesh.Kubernetes;

/// <summary>A connection to one Kubernetes API server; hands out typed clients per resource type.</summary>
public interface IKubernetesClient
{
    /// <summary>The configuration the client uses.</summary>
    KubernetesClientConfiguration Configuration { get; }

    /// <summary>
    /// A client for one resource type. <paramref name="typeInfo"/> (from the caller's source-generated
    /// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>) reads and writes the objects; the type
    /// needs <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> properties but no particular base class.
    /// </summary>
    /// <typeparam name="T">The object type.</typeparam>
    /// <param name="resourceType">The group, version, plural and scope.</param>
    /// <param name="typeInfo">The JSON metadata of <typeparamref name="T"/>.</param>
    /// <returns>The resource client (cheap; create as many as needed).</returns>
    IKubernetesResourceClient<T> Resource<T>(KubernetesResourceType resourceType, JsonTypeInfo<T> typeInfo)
        where T : class;
}
