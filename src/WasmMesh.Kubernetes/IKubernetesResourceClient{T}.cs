using k8s;
using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>
/// Typed access to one resource type. Namespaced calls take the namespace explicitly (null lists/watches all
/// namespaces); cluster-scoped resources ignore it. Errors are <see cref="KubernetesApiException"/>s.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
public interface IKubernetesResourceClient<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The resource type this client addresses.</summary>
    KubernetesResourceType ResourceType { get; }

    /// <summary>Reads one object.</summary>
    /// <param name="namespaceName">The namespace (null for cluster-scoped).</param>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object.</returns>
    /// <exception cref="KubernetesApiException">Not found (<see cref="KubernetesApiException.IsNotFound"/>) or another API error.</exception>
    Task<T> GetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads one object, or null when it does not exist.</summary>
    /// <param name="namespaceName">The namespace (null for cluster-scoped).</param>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object or null.</returns>
    Task<T?> TryGetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of objects.</summary>
    /// <param name="namespaceName">The namespace; null for all namespaces.</param>
    /// <param name="options">Selectors, page size and continue token.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page with its resource version and continue token.</returns>
    Task<ResourceList<T>> ListAsync(string? namespaceName = null, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Watches for changes. The sequence ends when the server closes the stream (e.g. after
    /// <see cref="WatchOptions.TimeoutSeconds"/>); a watch ERROR event is thrown as a <see cref="KubernetesApiException"/>
    /// (<see cref="KubernetesApiException.IsGone"/> when the resource version is too old).
    /// </summary>
    /// <param name="namespaceName">The namespace; null for all namespaces.</param>
    /// <param name="options">Start resource version, selectors, bookmarks and timeout.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>The events.</returns>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? namespaceName = null, WatchOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates an object in its <c>metadata.namespace</c>.</summary>
    /// <param name="item">The object.</param>
    /// <param name="options">Field manager and dry run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created object as stored.</returns>
    /// <exception cref="KubernetesApiException">It exists (<see cref="KubernetesApiException.IsAlreadyExists"/>) or is invalid.</exception>
    Task<T> CreateAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces an object; with <c>metadata.resourceVersion</c> set, fails with a conflict when it changed meanwhile.</summary>
    /// <param name="item">The object.</param>
    /// <param name="options">Field manager and dry run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stored object.</returns>
    /// <exception cref="KubernetesApiException">A stale resource version (<see cref="KubernetesApiException.IsConflict"/>) or not found.</exception>
    Task<T> ReplaceAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces the <c>status</c> subresource; spec changes in <paramref name="item"/> are ignored by the server.</summary>
    /// <param name="item">The object with the new status.</param>
    /// <param name="options">Field manager and dry run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stored object.</returns>
    Task<T> ReplaceStatusAsync(T item, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Patches an object (merge, JSON, strategic merge or apply patch).</summary>
    /// <param name="namespaceName">The namespace (null for cluster-scoped).</param>
    /// <param name="name">The name.</param>
    /// <param name="patch">The patch.</param>
    /// <param name="options">Field manager and dry run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stored object.</returns>
    Task<T> PatchAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Patches the <c>status</c> subresource.</summary>
    /// <param name="namespaceName">The namespace (null for cluster-scoped).</param>
    /// <param name="name">The name.</param>
    /// <param name="patch">The patch.</param>
    /// <param name="options">Field manager and dry run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stored object.</returns>
    Task<T> PatchStatusAsync(string? namespaceName, string name, KubernetesPatch patch, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Server-side apply of <paramref name="item"/> (creates it when absent): the field manager owns exactly the
    /// fields serialized; fields it applied before and omits now are removed.
    /// </summary>
    /// <param name="item">The desired state (server-set metadata such as managedFields is stripped).</param>
    /// <param name="options">The field manager and force.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stored object.</returns>
    /// <exception cref="KubernetesApiException">A field another manager owns differs (<see cref="KubernetesApiException.IsConflict"/>) and <see cref="ApplyOptions.Force"/> is false.</exception>
    Task<T> ApplyAsync(T item, ApplyOptions options, CancellationToken cancellationToken = default);

    /// <summary>Server-side apply of the <c>status</c> subresource.</summary>
    /// <param name="item">The desired status (with apiVersion, kind and metadata name/namespace).</param>
    /// <param name="options">The field manager and force.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stored object.</returns>
    Task<T> ApplyStatusAsync(T item, ApplyOptions options, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object.</summary>
    /// <param name="namespaceName">The namespace (null for cluster-scoped).</param>
    /// <param name="name">The name.</param>
    /// <param name="options">Propagation policy and preconditions.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object when it still exists (finalizers pending, or the server returns the deleted object), otherwise null.</returns>
    /// <exception cref="KubernetesApiException">Not found, or a failed precondition (<see cref="KubernetesApiException.IsConflict"/>).</exception>
    Task<T?> DeleteAsync(string? namespaceName, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default);
}
