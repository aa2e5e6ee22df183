using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmMesh.Controllers;
using WasmMesh.Istio;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Model.Validation;
using WasmMesh.Operator.Resources;
using WasmMesh.Sources;

namespace WasmMesh.Operator;

/// <summary>
/// Reconciles one AutoWasm: validates it, makes its module available (fetched, verified and cached) before anything
/// else, writes its EnvoyFilter idempotently, and reports phase, digests and conditions in its status.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>An invalid spec sets <c>Failed</c> with every problem and is not retried until the spec changes.</item>
/// <item>A failed fetch sets <c>Failed</c> with the cause and is retried with backoff; an existing EnvoyFilter is left
/// untouched so that sidecars keep the last good module.</item>
/// <item>Registry tags are resolved again every <see cref="AutoWasmOperatorOptions.TagResolveInterval"/>.</item>
/// <item>Nothing is written when nothing changed: a resync of unchanged objects makes no writes.</item>
/// </list>
/// </remarks>
public sealed class AutoWasmReconciler : IReconciler
{
    /// <summary>The condition type summarising the AutoWasm.</summary>
    public const string ReadyCondition = "Ready";

    /// <summary>The condition type saying whether the last re-check of the source (a registry tag) succeeded.</summary>
    public const string SourceReachableCondition = "SourceReachable";

    private readonly AutoWasmStore _store;
    private readonly IKubernetesResourceClient<AutoWasmResource> _autowasms;
    private readonly IKubernetesResourceClient<EnvoyFilterResource> _envoyFilters;
    private readonly IKubernetesResourceClient<Event> _events;
    private readonly WasmSourceRequestFactory _requests;
    private readonly IWasmModuleProvider _modules;
    private readonly IWasmCacheRetention _retention;
    private readonly EnvoyFilterBuilder _builder;
    private readonly AutoWasmOperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AutoWasmReconciler> _logger;
    private readonly EventNameGenerator _eventNames;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (WasmModuleResult Module, DateTimeOffset At)> _resolved = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (WasmModuleResult Module, DateTimeOffset At)> _resolvedSources = new(StringComparer.Ordinal);

    /// <summary>Creates the reconciler.</summary>
    /// <param name="store">The informer-backed AutoWasm cache.</param>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="requests">Builds source requests (reads pull secrets).</param>
    /// <param name="modules">Fetches, verifies and caches modules.</param>
    /// <param name="retention">Tells the cache which modules are in use.</param>
    /// <param name="options">Operator options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public AutoWasmReconciler(
        AutoWasmStore store,
        IKubernetesClient client,
        WasmSourceRequestFactory requests,
        IWasmModuleProvider modules,
        IWasmCacheRetention retention,
        IOptions<AutoWasmOperatorOptions> options,
        TimeProvider time,
        ILogger<AutoWasmReconciler> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _autowasms = client.Resource(AutoWasmResource.ResourceType, OperatorJsonContext.Default.AutoWasmResource);
        _envoyFilters = client.Resource(EnvoyFilterResource.ResourceType, OperatorJsonContext.Default.EnvoyFilterResource);
        _events = client.Events();
        _requests = requests;
        _modules = modules;
        _retention = retention;
        _options = options.Value;
        _builder = new EnvoyFilterBuilder(_options.EnvoyFilter);
        _time = time;
        _logger = logger;
        _eventNames = new EventNameGenerator(time);
    }

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var key = request.Key.ToString();
        var resource = _store.Get(request.Namespace, request.Name);
        if (resource is null)
        {
            foreach (var stale in _resolved.Keys.Where(k => k.StartsWith(key + "/", StringComparison.Ordinal)))
            {
                _resolved.TryRemove(stale, out _);
            }

            await DeleteOrphanAsync(request, cancellationToken).ConfigureAwait(false);
            await ApplyRetentionAsync(cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        if (resource.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var model = ResourceMapper.ToModel(resource);
        var problems = model is null
            ? [new ValidationProblem("spec", "required field is missing")]
            : AutoWasmValidator.Validate(model);
        if (problems.Count > 0)
        {
            var message = string.Join("; ", problems.Select(p => p.ToString()));
            Log.Invalid(_logger, key, message);
            await SetFailedAsync(resource, "InvalidSpec", message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done; // not retried: a spec change triggers the next reconcile
        }

        WasmModuleResult module;
        try
        {
            module = await RecentlyResolvedAsync(resource, cancellationToken).ConfigureAwait(false)
                ?? await ResolveAsync(resource, model!, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every failure of one AutoWasm becomes that AutoWasm's status, never a stuck worker or a stack trace.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return await FailedAsync(key, resource, FailureClassifier.Classify(e), cancellationToken).ConfigureAwait(false);
        }

        var desired = ResourceMapper.ToResource(_builder.Build(model!, module.Sha256));
        string action;
        try
        {
            action = await WriteEnvoyFilterAsync(resource, desired, cancellationToken).ConfigureAwait(false);
        }
        catch (EnvoyFilterConflictException e)
        {
            await SetFailedAsync(resource, "EnvoyFilterConflict", e.Message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.RequeueAfter(_options.TagResolveInterval);
        }

        var previousSha = resource.Status?.Sha256;
        var status = new AutoWasmStatus
        {
            Phase = AutoWasmPhase.Synced,
            Message = $"module sha256:{module.Sha256.Hex[..12]}… ({module.Size.ToString(CultureInfo.InvariantCulture)} bytes) is served and EnvoyFilter {desired.Metadata.Name} is written",
            ObservedGeneration = resource.Metadata.Generation,
            Sha256 = module.Sha256,
            ManifestDigest = module.ManifestDigest,
            EnvoyFilter = desired.Metadata.Name,
            Conditions = [Condition(resource, "True", "Synced", "the module is cached and the EnvoyFilter is up to date")],
        };

        var statusWritten = await WriteStatusAsync(resource, status, forceTime: action != "unchanged", cancellationToken).ConfigureAwait(false);
        if (statusWritten || action != "unchanged")
        {
            Log.Synced(_logger, key, module.Sha256.Hex, action);
        }

        if (resource.Status?.Phase != AutoWasmPhase.Synced || previousSha != module.Sha256)
        {
            await EmitEventAsync(resource, "Normal", "Synced", $"module sha256:{module.Sha256.Hex} is served; EnvoyFilter {desired.Metadata.Name} {action}", cancellationToken).ConfigureAwait(false);
            if (previousSha != module.Sha256)
            {
                await ApplyRetentionAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var followsTag = model!.Spec.Filter.Source.Registry is { } registry && ImageReference.Parse(registry.Image).Digest is null;
        return followsTag ? ReconcileResult.RequeueAfter(_options.TagResolveInterval) : ReconcileResult.Done;
    }

    /// <summary>
    /// The module of an AutoWasm whose source was resolved less than one resolve interval ago for the same generation
    /// and is still cached: events caused by our own writes and resyncs then cost no upstream request.
    /// </summary>
    private async Task<WasmModuleResult?> RecentlyResolvedAsync(AutoWasmResource resource, CancellationToken cancellationToken)
    {
        var key = ResolutionKey(resource);
        if (!_resolved.TryGetValue(key, out var last) || _time.GetUtcNow() - last.At >= _options.TagResolveInterval
            || resource.Status?.Sha256 != last.Module.Sha256)
        {
            return null;
        }

        var cached = await _modules.FindAsync(last.Module.Sha256, cancellationToken).ConfigureAwait(false);
        return cached is null ? null : last.Module;
    }

    private async Task<WasmModuleResult> ResolveAsync(AutoWasmResource resource, AutoWasm model, CancellationToken cancellationToken)
    {
        var sourceRequest = await _requests.CreateAsync(model, cancellationToken: cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();

        // Many AutoWasms often name one source: resolve it once per interval, not once per AutoWasm.
        if (_resolvedSources.TryGetValue(sourceRequest.SourceKey, out var shared) && now - shared.At < _options.TagResolveInterval
            && await _modules.FindAsync(shared.Module.Sha256, cancellationToken).ConfigureAwait(false) is not null)
        {
            _resolved[ResolutionKey(resource)] = shared;
            return shared.Module;
        }

        var module = await _modules.EnsureAsync(sourceRequest, cancellationToken).ConfigureAwait(false);
        _resolved[ResolutionKey(resource)] = (module, now);
        _resolvedSources[sourceRequest.SourceKey] = (module, now);
        return module;
    }

    private static string ResolutionKey(AutoWasmResource resource)
        => $"{resource.Metadata.Namespace}/{resource.Metadata.Name}/{resource.Metadata.Uid}/{resource.Metadata.Generation}";

    private async Task<string> WriteEnvoyFilterAsync(AutoWasmResource owner, EnvoyFilterResource desired, CancellationToken cancellationToken)
    {
        var ns = desired.Metadata.Namespace;
        var name = desired.Metadata.Name!;
        var existing = await _envoyFilters.TryGetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            await _envoyFilters.CreateAsync(desired, cancellationToken: cancellationToken).ConfigureAwait(false);
            return "created";
        }

        if (!ResourceMapper.IsOwnedBy(existing, owner.Metadata.Uid))
        {
            throw new EnvoyFilterConflictException($"EnvoyFilter {ns}/{name} already exists and is not managed by this AutoWasm; delete or rename it, or rename the AutoWasm");
        }

        if (ResourceMapper.IsUpToDate(existing, desired))
        {
            return "unchanged";
        }

        var labels = new Dictionary<string, string>(existing.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in desired.Metadata.Labels ?? new Dictionary<string, string>())
        {
            labels[k] = v;
        }

        var replacement = desired with
        {
            Metadata = existing.Metadata with
            {
                Labels = labels,
                OwnerReferences = desired.Metadata.OwnerReferences,
                ManagedFields = null,
            },
        };
        await _envoyFilters.ReplaceAsync(replacement, cancellationToken: cancellationToken).ConfigureAwait(false);
        return "updated";
    }

    private async Task DeleteOrphanAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var existing = await _envoyFilters.TryGetAsync(request.Namespace, request.Name, cancellationToken).ConfigureAwait(false);
        if (existing?.Metadata.OwnerReferences?.Any(o => o.Kind == AutoWasm.KindValue && o.Name == request.Name) == true)
        {
            await _envoyFilters.DeleteAsync(request.Namespace, request.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.Deleted(_logger, request.Namespace, request.Name);
        }
    }

    /// <summary>
    /// Reports a failure to make the module available. Transient failures retry with backoff, permanent ones at the slow
    /// <see cref="AutoWasmOperatorOptions.PermanentFailureRetryInterval"/> (or on a spec change). A failed tag re-check of
    /// a Synced AutoWasm whose module is still served keeps it Synced with <c>SourceReachable=False</c>: sidecars keep the
    /// module and EnvoyFilter they have.
    /// </summary>
    private async Task<ReconcileResult> FailedAsync(string key, AutoWasmResource resource, ReconcileFailure failure, CancellationToken cancellationToken)
    {
        Log.FetchFailed(_logger, key, failure.Reason, failure.Message);
        var retry = failure.IsTransient ? ReconcileResult.Requeue : ReconcileResult.RequeueAfter(_options.PermanentFailureRetryInterval);
        var current = resource.Status;
        if (current is { Phase: AutoWasmPhase.Synced, Sha256: { } digest } && current.ObservedGeneration == resource.Metadata.Generation
            && await _modules.FindAsync(digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            var unreachable = new StatusCondition
            {
                Type = SourceReachableCondition,
                Status = "False",
                Reason = failure.Reason,
                Message = failure.Message,
                ObservedGeneration = resource.Metadata.Generation,
                LastTransitionTime = Truncate(current.Conditions.FirstOrDefault(c => c.Type == SourceReachableCondition && c.Status == "False")?.LastTransitionTime ?? _time.GetUtcNow()),
            };
            var kept = current with
            {
                Conditions = new EquatableArray<StatusCondition>([.. current.Conditions.Where(c => c.Type != SourceReachableCondition), unreachable]),
            };
            if (await WriteStatusAsync(resource, kept, forceTime: false, cancellationToken).ConfigureAwait(false))
            {
                await EmitEventAsync(resource, "Warning", "SourceUnreachable", failure.Message, cancellationToken).ConfigureAwait(false);
            }

            return retry;
        }

        await SetFailedAsync(resource, failure.Reason, failure.Message, cancellationToken).ConfigureAwait(false);
        return retry;
    }

    private async Task SetFailedAsync(AutoWasmResource resource, string reason, string message, CancellationToken cancellationToken)
    {
        var previous = resource.Status;
        var status = new AutoWasmStatus
        {
            Phase = AutoWasmPhase.Failed,
            Message = message,
            ObservedGeneration = resource.Metadata.Generation,
            Sha256 = reason == "InvalidSpec" ? null : previous?.Sha256,
            ManifestDigest = reason == "InvalidSpec" ? null : previous?.ManifestDigest,
            EnvoyFilter = reason == "InvalidSpec" ? null : previous?.EnvoyFilter,
            Conditions = [Condition(resource, "False", reason, message)],
        };

        if (await WriteStatusAsync(resource, status, forceTime: false, cancellationToken).ConfigureAwait(false))
        {
            await EmitEventAsync(resource, "Warning", reason, message, cancellationToken).ConfigureAwait(false);
        }
    }

    private StatusCondition Condition(AutoWasmResource resource, string status, string reason, string message)
    {
        var previous = resource.Status?.Conditions.FirstOrDefault(c => c.Type == ReadyCondition);
        var since = previous is not null && previous.Status == status ? previous.LastTransitionTime : _time.GetUtcNow();
        return new StatusCondition
        {
            Type = ReadyCondition,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = resource.Metadata.Generation,
            LastTransitionTime = Truncate(since ?? _time.GetUtcNow()),
        };
    }

    /// <summary>Writes the status unless it equals the current one (apart from timestamps). Returns whether it wrote.</summary>
    private async Task<bool> WriteStatusAsync(AutoWasmResource resource, AutoWasmStatus status, bool forceTime, CancellationToken cancellationToken)
    {
        var current = resource.Status;
        if (!forceTime && current is not null && SameIgnoringTimes(current, status))
        {
            return false;
        }

        var stamped = status with { LastSyncTime = Truncate(_time.GetUtcNow()) };
        await _autowasms.ReplaceStatusAsync(resource with { Status = stamped }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static bool SameIgnoringTimes(AutoWasmStatus a, AutoWasmStatus b)
    {
        static AutoWasmStatus Strip(AutoWasmStatus s) => s with
        {
            LastSyncTime = null,
            Conditions = new EquatableArray<StatusCondition>(s.Conditions.Select(c => c with { LastTransitionTime = null })),
        };

        return Strip(a) == Strip(b);
    }

    private async Task EmitEventAsync(AutoWasmResource resource, string type, string reason, string message, CancellationToken cancellationToken)
    {
        if (!_options.EmitEvents)
        {
            return;
        }

        var now = Truncate(_time.GetUtcNow());
        var ns = resource.Metadata.Namespace ?? AutoWasm.DefaultNamespace;
        var name = resource.Metadata.Name!;
        try
        {
            await _events.CreateAsync(
                new Event
                {
                    Metadata = new ObjectMeta { Namespace = ns, Name = _eventNames.Next(name) },
                    InvolvedObject = new ObjectReference
                    {
                        ApiVersion = AutoWasm.ApiVersionValue,
                        Kind = AutoWasm.KindValue,
                        Namespace = ns,
                        Name = name,
                        Uid = resource.Metadata.Uid,
                        ResourceVersion = resource.Metadata.ResourceVersion,
                    },
                    Type = type,
                    Reason = reason,
                    Message = message.Length <= 1024 ? message : message[..1024],
                    Count = 1,
                    FirstTimestamp = now,
                    LastTimestamp = now,
                    Source = new EventSource { Component = _options.EventComponent },
                    ReportingComponent = _options.EventComponent,
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            Log.EventFailed(_logger, ns, name, e.Message);
        }
    }

    private async Task ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        var inUse = _store.DigestsInUse();
        var result = await _retention.ApplyRetentionAsync(inUse, cancellationToken).ConfigureAwait(false);
        if (result.Evicted.Count > 0)
        {
            Log.Retention(_logger, inUse.Count, result.Evicted.Count);
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
