using k8s;
using k8s.Autorest;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Sources;

namespace WasmMesh.Operator;

/// <summary>
/// Turns an AutoWasm's source into a <see cref="WasmSourceRequest"/>, reading its pull secret from the AutoWasm's
/// own namespace only. The secret's bytes go to the registry client and nowhere else.
/// </summary>
internal sealed class WasmSourceRequestFactory
{
    /// <summary>The Secret type of a docker config secret.</summary>
    public const string DockerConfigJsonType = "kubernetes.io/dockerconfigjson";

    /// <summary>The data key of a docker config secret.</summary>
    public const string DockerConfigJsonKey = ".dockerconfigjson";

    private readonly IKubernetes _kubernetes;

    /// <summary>Creates the factory.</summary>
    /// <param name="kubernetes">The Kubernetes client used to read pull secrets.</param>
    public WasmSourceRequestFactory(IKubernetes kubernetes)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        _kubernetes = kubernetes;
    }

    /// <summary>Builds the request for an AutoWasm.</summary>
    /// <param name="resource">A valid AutoWasm.</param>
    /// <param name="pin">A sha256 the module must have (used when filling a cache for a known digest).</param>
    /// <param name="manifestDigest">A manifest digest to pull instead of the tag (used with <paramref name="pin"/>).</param>
    /// <param name="cancellationToken">Cancels the secret read.</param>
    /// <returns>The request.</returns>
    /// <exception cref="PullSecretException">The named secret is missing or is not a docker config secret.</exception>
    public async Task<WasmSourceRequest> CreateAsync(AutoWasm resource, Digest? pin = null, Digest? manifestDigest = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var source = resource.Spec.Filter.Source;
        if (source.Object is { } obj)
        {
            Digest? objectPin = Digest.TryParseSha256(obj.Sha256, out var parsed, out _) ? parsed : null;
            return WasmSourceRequest.ForObject(new Uri(obj.Url, UriKind.Absolute), pin ?? objectPin);
        }

        var image = ImageReference.Parse(source.Registry!.Image);
        if (manifestDigest is { } md && image.Digest is null)
        {
            image = image.WithDigest(md);
        }

        var secret = ReadOnlyMemory<byte>.Empty;
        if (!string.IsNullOrEmpty(resource.Spec.Secret))
        {
            secret = await ReadPullSecretAsync(resource.NamespaceOrDefault, resource.Spec.Secret, cancellationToken).ConfigureAwait(false);
        }

        return WasmSourceRequest.ForRegistry(image, secret, pin);
    }

    /// <summary>
    /// Builds the request for the exact source recorded in an AutoWasm's status (<see cref="AutoWasmStatus.Source"/>),
    /// pinned to <paramref name="pin"/>: the bytes the written resource names, whatever the spec says now. A recorded
    /// image uses the AutoWasm's current pull secret.
    /// </summary>
    /// <param name="resource">The AutoWasm.</param>
    /// <param name="recorded">The recorded source.</param>
    /// <param name="pin">The module's sha256.</param>
    /// <param name="cancellationToken">Cancels the secret read.</param>
    /// <returns>The request, or null when the recorded source is unusable.</returns>
    /// <exception cref="PullSecretException">The named secret is missing or is not a docker config secret.</exception>
    public async Task<WasmSourceRequest?> CreateRecordedAsync(AutoWasm resource, ModuleSource recorded, Digest pin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(recorded);
        if (recorded.Url is { } url)
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? WasmSourceRequest.ForObject(uri, pin) : null;
        }

        if (recorded.Image is null || !ImageReference.TryParse(recorded.Image, out var image) || image.Digest is null)
        {
            return null;
        }

        var secret = string.IsNullOrEmpty(resource.Spec?.Secret)
            ? ReadOnlyMemory<byte>.Empty
            : await ReadPullSecretAsync(resource.NamespaceOrDefault, resource.Spec.Secret, cancellationToken).ConfigureAwait(false);
        return WasmSourceRequest.ForRegistry(image, secret, pin);
    }

    private async Task<ReadOnlyMemory<byte>> ReadPullSecretAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        k8s.Models.V1Secret secret;
        try
        {
            secret = await _kubernetes.CoreV1.ReadNamespacedSecretAsync(name, namespaceName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            var error = KubernetesApiException.From(ex, "GET", $"/api/v1/namespaces/{namespaceName}/secrets/{name}");
            throw error.IsNotFound
                ? new PullSecretException(namespaceName, name, $"secret {namespaceName}/{name} (spec.secret) does not exist; create it with 'kubectl create secret docker-registry {name} -n {namespaceName} …'")
                : error;
        }

        if (secret.Data is null || !secret.Data.TryGetValue(DockerConfigJsonKey, out var payload) || payload.Length == 0)
        {
            throw new PullSecretException(namespaceName, name, $"secret {namespaceName}/{name} (spec.secret) has no {DockerConfigJsonKey} key; it must be of type {DockerConfigJsonType}");
        }

        return payload;
    }
}
