namespace WasmMesh.Kubernetes;

/// <summary>Resource clients for the built-in types.</summary>
public static class KubernetesClientExtensions
{
    /// <summary>Core v1 Secrets.</summary>
    /// <param name="client">The client.</param>
    /// <returns>The resource client.</returns>
    public static IKubernetesResourceClient<Secret> Secrets(this IKubernetesClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Resource(KubernetesResourceType.Secrets, KubernetesJsonContext.Default.Secret);
    }

    /// <summary>Core v1 Events.</summary>
    /// <param name="client">The client.</param>
    /// <returns>The resource client.</returns>
    public static IKubernetesResourceClient<Event> Events(this IKubernetesClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Resource(KubernetesResourceType.Events, KubernetesJsonContext.Default.Event);
    }

    /// <summary>Core v1 Namespaces (cluster-scoped: pass a null namespace).</summary>
    /// <param name="client">The client.</param>
    /// <returns>The resource client.</returns>
    public static IKubernetesResourceClient<Namespace> Namespaces(this IKubernetesClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Resource(KubernetesResourceType.Namespaces, KubernetesJsonContext.Default.Namespace);
    }

    /// <summary>coordination.k8s.io/v1 Leases, for leader election.</summary>
    /// <param name="client">The client.</param>
    /// <returns>The resource client.</returns>
    public static IKubernetesResourceClient<Lease> Leases(this IKubernetesClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Resource(KubernetesResourceType.Leases, KubernetesJsonContext.Default.Lease);
    }

    /// <summary>Any resource type, untyped (<see cref="GenericKubernetesObject"/>).</summary>
    /// <param name="client">The client.</param>
    /// <param name="resourceType">The resource type.</param>
    /// <returns>The resource client.</returns>
    public static IKubernetesResourceClient<GenericKubernetesObject> Generic(this IKubernetesClient client, KubernetesResourceType resourceType)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Resource(resourceType, KubernetesJsonContext.Default.GenericKubernetesObject);
    }
}
