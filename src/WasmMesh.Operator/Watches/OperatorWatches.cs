using k8s;
using Microsoft.Extensions.Logging;
using WasmMesh.Controllers;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Operator.Outputs;

namespace WasmMesh.Operator.Watches;

/// <summary>
/// The objects the AutoWasm controller writes or reads besides AutoWasms, watched so that their changes reach it within
/// seconds: the Istio resources it owns (controller-runtime's <c>Owns</c>: an event queues the owner AutoWasm) and the
/// pull Secrets AutoWasms name (<c>Watches</c> with a mapping: an event queues every AutoWasm in the Secret's namespace
/// that names it). Both keep metadata only (and a fingerprint of an output's spec), never specs or Secret data. Each
/// informer starts when first needed — the EnvoyFilter one with the controller, the others when an AutoWasm writes that
/// kind or names a pull secret — so a cluster without a kind's CRD, or without pull secrets, never
/// lists them. They follow the operator's watch namespace.
/// </summary>
internal sealed class OperatorWatches : IAsyncDisposable
{
    private readonly Dictionary<string, Informer<OwnedOutput>> _outputs;
    private readonly Lock _gate = new();
    private readonly HashSet<object> _started = [];

    public OperatorWatches(IKubernetes client, string? watchNamespace, ILoggerFactory? loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        var options = new InformerOptions { Namespace = string.IsNullOrEmpty(watchNamespace) ? null : watchNamespace };
        _outputs = IstioOutputWriter.Types.ToDictionary(
            t => t.Key,
            t => new Informer<OwnedOutput>(client.Resource(t.Value, WatchJsonContext.Default.OwnedOutput), options, loggers?.CreateLogger<Informer<OwnedOutput>>(), time),
            StringComparer.Ordinal);
        Secrets = new Informer<SecretMetadata>(client.Resource(KubernetesResourceType.Secrets, WatchJsonContext.Default.SecretMetadata), options, loggers?.CreateLogger<Informer<SecretMetadata>>(), time);
    }

    /// <summary>The output kinds watched.</summary>
    public IEnumerable<string> Kinds => _outputs.Keys;

    /// <summary>The pull Secret informer (metadata only).</summary>
    public Informer<SecretMetadata> Secrets { get; }

    /// <summary>The informer of one output kind.</summary>
    public Informer<OwnedOutput> Outputs(string kind) => _outputs[kind];

    /// <summary>Starts watching what <paramref name="resource"/> writes and reads, if not watched yet.</summary>
    public void WatchFor(AutoWasm resource, IstioOutputKind defaultOutput)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Status?.Resource?.Kind is { } written && _outputs.TryGetValue(written, out var writtenInformer))
        {
            Start(writtenInformer);
        }

        if (resource.Spec is { } spec)
        {
            var kind = WasmMesh.Istio.IstioOutputBuilder.OutputFor(resource, defaultOutput) switch
            {
                IstioOutputKind.WasmPlugin => WasmMesh.Istio.Extensions.WasmPlugin.KindValue,
                IstioOutputKind.TrafficExtension => WasmMesh.Istio.Extensions.TrafficExtension.KindValue,
                _ => WasmMesh.Istio.EnvoyFilters.EnvoyFilter.KindValue,
            };
            Start(_outputs[kind]);
            if (!string.IsNullOrEmpty(spec.Secret))
            {
                Start(Secrets);
            }
        }
    }

    /// <summary>
    /// The AutoWasm that controls an output object (its controller owner reference), if any — unless the event only shows
    /// the object as the controller itself just wrote it (<paramref name="ownWrites"/>), which needs no reconcile.
    /// </summary>
    /// <param name="e">The event.</param>
    /// <param name="ownWrites">The controller's own writes; null treats every event as someone else's.</param>
    /// <param name="kind">The output kind the informer watches (list items may omit it); the object's kind when null.</param>
    /// <returns>The owner's key, or nothing.</returns>
    public static IEnumerable<ObjectKey> Owner(InformerEvent<OwnedOutput> e, OwnWrites? ownWrites = null, string? kind = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type == InformerEventType.Resync)
        {
            return [];
        }

        // Every event consumes the recorded write; a deletion reconciles whatever was written last.
        var echo = ownWrites is not null && ownWrites.IsEcho(kind ?? e.Object.Kind, e.Namespace, e.Name, e.Object.Metadata.ResourceVersion)
            && e.Type != InformerEventType.Deleted;
        if (echo || (e.Type == InformerEventType.Updated && e.OldObject is { } old && !Changed(old, e.Object)))
        {
            return [];
        }

        var owner = e.Object.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == AutoWasm.KindValue && o.Controller == true && o.ApiVersion == AutoWasm.ApiVersionValue);
        return owner is null ? [] : [new ObjectKey(e.Namespace, owner.Name)];
    }

    /// <summary>The AutoWasms in a Secret's namespace whose <c>spec.secret</c> names it.</summary>
    public static IEnumerable<ObjectKey> Users(InformerEvent<SecretMetadata> e, AutoWasmStore store)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(store);
        if (e.Type == InformerEventType.Resync || (e.Type == InformerEventType.Updated && e.OldObject?.Metadata.ResourceVersion == e.Object.Metadata.ResourceVersion))
        {
            return [];
        }

        return store.List()
            .Where(a => a.NamespaceOrDefault == e.Namespace && a.Spec?.Secret == e.Name)
            .Select(a => new ObjectKey(e.Namespace, a.Metadata.Name!))
            .ToList();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var informer in _outputs.Values)
        {
            await informer.DisposeAsync().ConfigureAwait(false);
        }

        await Secrets.DisposeAsync().ConfigureAwait(false);
    }

    private static bool Changed(OwnedOutput old, OwnedOutput current)
    {
        return old.SpecFingerprint != current.SpecFingerprint
            || !(old.Metadata.OwnerReferences ?? []).Select(o => o.Uid).SequenceEqual((current.Metadata.OwnerReferences ?? []).Select(o => o.Uid), StringComparer.Ordinal)
            || !(old.Metadata.Labels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual((current.Metadata.Labels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private void Start<T>(Informer<T> informer)
        where T : class, IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        lock (_gate)
        {
            if (!_started.Add(informer))
            {
                return;
            }
        }

        _ = informer.StartAsync();
    }
}
