using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmMesh.Controllers;
using WasmMesh.Istio;
using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Model.Validation;
using WasmMesh.Operator.Outputs;
using WasmMesh.Sources;

namespace WasmMesh.Operator;

/// <summary>
/// Reconciles one AutoWasm: validates it, makes its module available (fetched, verified and cached) and checks that
/// Envoy will load it before anything else, writes its Istio resource (EnvoyFilter, EnvoyFilterECDS, WasmPlugin or
/// TrafficExtension) idempotently, and reports phase, digests, the written resource and conditions in its status.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>An invalid spec sets <c>Failed</c> with every problem and is not retried until the spec changes; the resource
/// written before, and the module it names, stay (as after any failure).</item>
/// <item>A failed fetch sets <c>Failed</c> with the cause and is retried with backoff; an existing EnvoyFilter is left
/// untouched so that sidecars keep the last good module.</item>
/// <item>Registry tags are resolved again every <see cref="AutoWasmOperatorOptions.TagResolveInterval"/>, and at once
/// when the <see cref="ResolveAnnotation"/> annotation gets a new value.</item>
/// <item>Nothing is written when nothing changed: a resync of unchanged objects makes no writes.</item>
/// <item>A module that fails the pre-flight check (<see cref="WasmPreflight"/>) sets <c>Failed</c> with the offending
/// import and nothing is written.</item>
/// <item>Switching the output kind deletes the previous object only after the new one is written.</item>
/// </list>
/// </remarks>
internal sealed partial class AutoWasmReconciler : IReconciler, IAsyncDisposable
{
    /// <summary>The condition type summarising the AutoWasm.</summary>
    public const string ReadyCondition = "Ready";

    /// <summary>The condition type saying whether the last re-check of the source (a registry tag) succeeded.</summary>
    public const string SourceReachableCondition = "SourceReachable";

    /// <summary>
    /// The condition type set (status <c>Unknown</c>) when an EnvoyFilter output anchors on a filter that Istio adds only
    /// when a policy exists (<c>jwt_authn</c>, <c>rbac</c>): without that policy Istio silently skips the patch.
    /// </summary>
    public const string PhaseAnchorCondition = "PhaseAnchor";

    /// <summary>
    /// Setting this annotation to a new value (conventionally the current time) makes the AutoWasm's source resolve
    /// again now instead of at the next <see cref="AutoWasmOperatorOptions.TagResolveInterval"/>:
    /// <c>kubectl annotate aw NAME wasm.tcm.io/resolve-at="$(date -u +%FT%TZ)" --overwrite</c>.
    /// </summary>
    public const string ResolveAnnotation = "wasm.tcm.io/resolve-at";

    private readonly AutoWasmStore _store;
    private readonly IKubernetes _kubernetes;
    private readonly IKubernetesResourceClient<AutoWasm> _autowasms;
    private readonly IstioOutputWriter _writer;
    private readonly WriteOptions _write;
    private readonly WasmSourceRequestFactory _requests;
    private readonly IWasmModuleProvider _modules;
    private readonly IWasmCacheRetention _retention;
    private readonly IstioOutputBuilder _builder;
    private readonly AutoWasmOperatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AutoWasmReconciler> _logger;
    private readonly EventNameGenerator _eventNames;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (WasmModuleResult Module, DateTimeOffset At)> _resolved = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (WasmModuleResult Module, DateTimeOffset At)> _resolvedSources = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, WasmPreflightResult> _preflight = new(StringComparer.Ordinal);
    private readonly FetchScheduler<Fetched> _fetches;
    private readonly FetchCompletions _completions = new();

    // Consecutive transient failures per key. The work queue's own backoff cannot count them: a reconcile that starts a
    // fetch ends Done (the key is forgotten), so each retry would start again at 5 ms and the fetches would loop hot.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _transientFailures = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _undecodableReported = new(StringComparer.Ordinal);

    /// <summary>The first delay after a transient fetch failure; it doubles per failure in a row.</summary>
    internal static readonly TimeSpan TransientRetryBase = TimeSpan.FromSeconds(1);

    // A status write that meets a newer version of the same spec is retried on it this many times in all.
    private const int StatusConflictAttempts = 3;

    /// <summary>The largest delay between retries of a transient fetch failure.</summary>
    internal static readonly TimeSpan TransientRetryMax = TimeSpan.FromMinutes(5);

    /// <summary>Creates the reconciler.</summary>
    /// <param name="store">The informer-backed AutoWasm cache.</param>
    /// <param name="kubernetes">The Kubernetes client.</param>
    /// <param name="requests">Builds source requests (reads pull secrets).</param>
    /// <param name="modules">Fetches, verifies and caches modules.</param>
    /// <param name="retention">Tells the cache which modules are in use.</param>
    /// <param name="options">Operator options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="verifier">Checks signatures for AutoWasms with <c>spec.verify</c>; without one, such AutoWasms fail closed.</param>
    /// <param name="accessTokens">Makes the access tokens a protected serving endpoint requires in module URLs; none by default.</param>
    /// <param name="ownWrites">Where the output writer records its own writes, so their watch echo queues nothing; null records nothing.</param>
    public AutoWasmReconciler(
        AutoWasmStore store,
        IKubernetes kubernetes,
        WasmSourceRequestFactory requests,
        IWasmModuleProvider modules,
        IWasmCacheRetention retention,
        IOptions<AutoWasmOperatorOptions> options,
        TimeProvider time,
        ILogger<AutoWasmReconciler> logger,
        AutoWasmSignatureVerifier? verifier = null,
        IWasmModuleAccessTokens? accessTokens = null,
        OwnWrites? ownWrites = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _kubernetes = kubernetes;
        _autowasms = kubernetes.Resource(KubernetesResourceType.Of<AutoWasm>(), ModelClusterJson.AutoWasm);
        _write = new WriteOptions { FieldManager = options.Value.FieldManager };
        _writer = new IstioOutputWriter(kubernetes, _write, ownWrites);
        _requests = requests;
        _modules = modules;
        _retention = retention;
        _verifier = verifier;
        _accessTokens = accessTokens;
        _options = options.Value;
        _builder = new IstioOutputBuilder(_options.EnvoyFilter);
        _time = time;
        _logger = logger;
        _eventNames = new EventNameGenerator(time);
        _fetches = new FetchScheduler<Fetched>(_options.FetchConcurrency, time);
    }

    /// <summary>Queues the key of an AutoWasm whose fetch finished; the controller is fed from it.</summary>
    internal IControllerSource FetchCompletions => _completions;

    /// <summary>Completes when the AutoWasm's fetch in progress, if any, has finished.</summary>
    internal Task WhenFetchSettled(ObjectKey key) => _fetches.WhenSettled(key.ToString());

    /// <summary>Whether the AutoWasm has a fetch in progress or one whose result the next reconcile takes.</summary>
    internal bool HasFetch(ObjectKey key) => _fetches.Has(key.ToString());

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _fetches.DisposeAsync();

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await ReconcileCoreAsync(request, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever a reconcile throws ends in the AutoWasm's status and a Warning Event, never only in a log.
        catch (Exception e) when ((e is not OperationCanceledException || !cancellationToken.IsCancellationRequested) && _store.Get(request.Namespace, request.Name) is { } resource)
#pragma warning restore CA1031
        {
            if (e is KubernetesApiException { IsConflict: true })
            {
                // A write raced with a change of the object: not a failure of the AutoWasm. The change's own event, or
                // this requeue, reconciles the latest version.
                Log.ReconcileConflict(_logger, request.Key, e);
                return ReconcileResult.Requeue;
            }

            var failure = FailureClassifier.Classify(e);
            Log.ReconcileFailed(_logger, request.Key.ToString(), failure.Reason, failure.Message);
            try
            {
                await SetFailedAsync(resource, failure.Reason, failure.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception statusError) when (statusError is HttpOperationException or KubernetesApiException or HttpRequestException)
            {
                // The API is unreachable too: the controller retries the key with backoff.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
            }

            return failure.IsTransient ? ReconcileResult.Requeue : ReconcileResult.RequeueAfter(_options.PermanentFailureRetryInterval);
        }
    }

    private async Task<ReconcileResult> ReconcileCoreAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var key = request.Key.ToString();
        if (_store.Informer.GetUndecodable(request.Namespace, request.Name) is { } undecodable)
        {
            // The current version does not decode: report it on the object; the last good version's output stays.
            await ReportUndecodableAsync(key, undecodable, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done; // not retried: an edit of the object queues it again
        }

        _undecodableReported.TryRemove(key, out _);
        var resource = _store.Get(request.Namespace, request.Name);
        if (resource is null)
        {
            _fetches.Cancel(key);
            _transientFailures.TryRemove(key, out _);
            foreach (var stale in _resolved.Keys.Where(k => k.StartsWith(key + "/", StringComparison.Ordinal)))
            {
                _resolved.TryRemove(stale, out _);
                _verifications.TryRemove(stale, out _);
            }

            await DeleteOrphanAsync(request, cancellationToken).ConfigureAwait(false);
            await ApplyRetentionAsync(cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        if (resource.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var model = resource;
        var problems = AutoWasmValidator.Validate(model);
        if (problems.Count > 0)
        {
            var message = string.Join("; ", problems.Select(p => p.ToString()));
            Log.Invalid(_logger, key, message);
            await SetFailedAsync(resource, "InvalidSpec", message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done; // not retried: a spec change triggers the next reconcile
        }

        if (model.Spec.Verify is not null && _verifier is null)
        {
            // Fail closed: a signature requirement this controller does not check must never deploy an unverified module.
            const string unsupported = "spec.verify: signature verification is not available in this controller; nothing is fetched or written for this AutoWasm (remove spec.verify to deploy unsigned modules)";
            Log.Invalid(_logger, key, unsupported);
            await SetFailedAsync(resource, "VerificationUnavailable", unsupported, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        WasmModuleResult? module;
        SignatureCheck? signature;
        try
        {
            if (await RecentlyFetchedAsync(resource, model, cancellationToken).ConfigureAwait(false) is { } recent)
            {
                (module, signature) = recent;
            }
            else if (!_fetches.Has(key) && await SharedResolutionAsync(resource, model, cancellationToken).ConfigureAwait(false) is { } shared)
            {
                // Another AutoWasm resolved this source a moment ago and its module is cached: no fetch, no Pending.
                (module, signature) = (shared, null);
            }
            else
            {
                // The fetch runs off this worker under its own concurrency limit; its completion queues the key again.
                var fetch = _fetches.GetOrStart(
                    key,
                    ResolutionKey(resource),
                    async ct => model.Spec.Verify is null
                        ? new Fetched(await ResolveAsync(resource, model, ct).ConfigureAwait(false), null)
                        : new Fetched(await FetchVerifiedAsync(resource, model, ct).ConfigureAwait(false)),
                    _ => _completions.Signal(request.Key));
                if (fetch.IsPending)
                {
                    await SetPendingAsync(resource, model, fetch.Since, cancellationToken).ConfigureAwait(false);
                    return ReconcileResult.Done;
                }

                if (fetch.Error is { } error)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                }

                (module, signature) = fetch.Result!;
            }
        }
#pragma warning disable CA1031 // Every failure of one AutoWasm becomes that AutoWasm's status, never a stuck worker or a stack trace.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            var failure = FailureClassifier.Classify(e);
            if (e is WasmSourceException { CredentialsProblem: not RegistryCredentialsProblem.None } auth)
            {
                failure = failure with { Message = FailureClassifier.Stable(CredentialsMessage(resource, model!, auth)) };
            }

            return await FailedAsync(key, resource, failure, cancellationToken).ConfigureAwait(false);
        }

        if (module is null)
        {
            return await RefuseUnverifiedAsync(key, resource, signature!, cancellationToken).ConfigureAwait(false);
        }

        var followsTag = model.Spec.Filter.Source.Registry is { } registry && ImageReference.Parse(registry.Image).Digest is null;
        WasmPreflightResult? preflight;
        try
        {
            preflight = await PreflightAsync(module, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidWasmModuleException)
        {
            var failure = FailureClassifier.Classify(e);
            await SetFailedAsync(resource, failure.Reason, failure.Message, cancellationToken).ConfigureAwait(false);
            return failure.IsTransient ? ReconcileResult.Requeue : ReconcileResult.RequeueAfter(_options.PermanentFailureRetryInterval);
        }

        if (preflight is { Passed: false })
        {
            var message = $"module sha256:{module.Sha256.Hex} would be rejected by Envoy, so nothing is written: {string.Join("; ", preflight.Problems.Select(p => p.Message))}";
            Log.Invalid(_logger, key, message);
            await SetFailedAsync(resource, "PreflightFailed", message, cancellationToken).ConfigureAwait(false);
            return followsTag ? ReconcileResult.RequeueAfter(_options.TagResolveInterval) : ReconcileResult.Done;
        }

        IstioOutput output;
        var accessToken = _accessTokens?.TokenFor(resource.NamespaceOrDefault, module.Sha256);
        try
        {
            output = _builder.Build(model, module.Sha256, IstioOutputBuilder.OutputFor(model, _options.DefaultOutput), accessToken);
        }
        catch (IstioOutputException e)
        {
            Log.Invalid(_logger, key, e.Message);
            await SetFailedAsync(resource, "OutputNotWritable", e.Message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done; // not retried: a spec or setting change triggers the next reconcile
        }

        var desired = IstioOutputWriter.ToResource(output.Resource);
        string action;
        try
        {
            action = await _writer.WriteAsync(resource, desired, cancellationToken).ConfigureAwait(false);
        }
        catch (EnvoyFilterConflictException e)
        {
            await SetFailedAsync(resource, "EnvoyFilterConflict", e.Message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.RequeueAfter(_options.TagResolveInterval);
        }

        // The new object exists now: only then remove an object of another kind written before (kind switched).
        var previousKind = resource.Status?.Resource?.Kind ?? (resource.Status?.EnvoyFilter is not null ? Istio.EnvoyFilters.EnvoyFilter.KindValue : null);
        if (action == "created" || (previousKind is not null && previousKind != desired.Kind))
        {
            foreach (var kind in IstioOutputWriter.Kinds.Where(k => k != desired.Kind))
            {
                if (await _writer.DeleteOwnedAsync(kind, desired.Metadata.NamespaceProperty!, desired.Metadata.Name!, resource.Metadata.Uid, cancellationToken).ConfigureAwait(false))
                {
                    Log.DeletedOutput(_logger, kind, desired.Metadata.NamespaceProperty!, desired.Metadata.Name!, desired.Kind!);
                }
            }
        }

        var conditions = new List<StatusCondition> { Condition(resource, ReadyCondition, "True", "Synced", $"the module is cached and the {desired.Kind} is up to date") };
        if (output.Notes.Count > 0)
        {
            conditions.Add(Condition(resource, PhaseAnchorCondition, "Unknown", "AnchorNeedsPolicy", string.Join("; ", output.Notes)));
        }

        if (signature is not null)
        {
            conditions.Add(VerifiedCondition(resource, signature));
        }

        var previousSha = resource.Status?.Sha256;
        var status = new AutoWasmStatus
        {
            Phase = AutoWasmPhase.Synced,
            Message = $"module sha256:{module.Sha256.Hex[..12]}… ({module.Size.ToString(CultureInfo.InvariantCulture)} bytes) is served and {desired.Kind} {desired.Metadata.Name} is written",
            ObservedGeneration = resource.Metadata.Generation,
            Sha256 = module.Sha256,
            ManifestDigest = module.ManifestDigest,
            EnvoyFilter = desired.Kind == Istio.EnvoyFilters.EnvoyFilter.KindValue ? desired.Metadata.Name : null,
            Resource = output.Reference,
            Source = RecordedSource(model, module),
            Conditions = conditions.ToArray(),
            FetchedFrom = module.FetchedFrom ?? (previousSha == module.Sha256 ? resource.Status?.FetchedFrom : null),
        };

        var statusWritten = await WriteStatusAsync(resource, status, forceTime: action != "unchanged", cancellationToken).ConfigureAwait(false);
        if (statusWritten || action != "unchanged")
        {
            Log.Synced(_logger, key, module.Sha256.Hex, action);
        }

        if (signature is { Verified: false })
        {
            await ReportAuditAsync(key, resource, module, signature, cancellationToken).ConfigureAwait(false);
        }

        if (resource.Status?.Phase != AutoWasmPhase.Synced || previousSha != module.Sha256)
        {
            await EmitEventAsync(resource, "Normal", "Synced", $"module sha256:{module.Sha256.Hex} is served; {desired.Kind} {desired.Metadata.Name} {action}", cancellationToken).ConfigureAwait(false);
            if (previousSha != module.Sha256)
            {
                await ApplyRetentionAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        _transientFailures.TryRemove(key, out _);

        // Outputs that carry access tokens are rewritten every interval, so a rotated key reaches them within its window.
        return followsTag || accessToken is not null ? ReconcileResult.RequeueAfter(_options.TagResolveInterval) : ReconcileResult.Done;
    }

    private TimeSpan TransientRetryDelay(string key)
    {
        var failures = _transientFailures.AddOrUpdate(key, 1, static (_, n) => Math.Min(n + 1, 30));
        var delay = TransientRetryBase * Math.Pow(2, failures - 1);
        return delay < TransientRetryMax ? delay : TransientRetryMax;
    }

    /// <summary>
    /// The module (and, with <c>spec.verify</c>, its signature check) of an AutoWasm fetched less than one resolve
    /// interval ago for the same generation and still cached; null when it must be fetched.
    /// </summary>
    private async Task<Fetched?> RecentlyFetchedAsync(AutoWasm resource, AutoWasm model, CancellationToken cancellationToken)
    {
        if (model.Spec.Verify is null)
        {
            return await RecentlyResolvedAsync(resource, cancellationToken).ConfigureAwait(false) is { } module ? new Fetched(module, null) : null;
        }

        return _verifications.TryGetValue(ResolutionKey(resource), out var last)
            && await RecentlyResolvedAsync(resource, cancellationToken).ConfigureAwait(false) is { } recent && recent.Sha256 == last.Sha256
            ? new Fetched(recent, last.Check)
            : null;
    }

    /// <summary>
    /// The module of an AutoWasm whose source was resolved less than one resolve interval ago for the same generation
    /// and is still cached: events caused by our own writes and resyncs then cost no upstream request.
    /// </summary>
    private async Task<WasmModuleResult?> RecentlyResolvedAsync(AutoWasm resource, CancellationToken cancellationToken)
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

    /// <summary>
    /// The module of a source another AutoWasm resolved within the resolve interval, when it is still cached — taken on
    /// the worker without a fetch (no <c>Pending</c>, no second reconcile: 10,000 AutoWasms naming one module sync in one
    /// reconcile each). Only for sources whose request needs no API read (no pull secret) and no signature check.
    /// </summary>
    private async Task<WasmModuleResult?> SharedResolutionAsync(AutoWasm resource, AutoWasm model, CancellationToken cancellationToken)
    {
        if (_resolvedSources.IsEmpty || model.Spec.Verify is not null || !string.IsNullOrEmpty(model.Spec.Secret))
        {
            return null;
        }

        var sourceRequest = await _requests.CreateAsync(model, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await TakeSharedAsync(resource, sourceRequest, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Many AutoWasms often name one source: it is resolved once per interval, not once per AutoWasm — unless this
    /// AutoWasm asks for a resolution now (a resolve annotation value not acted on yet).
    /// </summary>
    private async Task<WasmModuleResult?> TakeSharedAsync(AutoWasm resource, WasmSourceRequest sourceRequest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var forced = resource.Metadata.Annotations?.ContainsKey(ResolveAnnotation) == true && !_resolved.ContainsKey(ResolutionKey(resource));
        if (!forced && _resolvedSources.TryGetValue(sourceRequest.SourceKey, out var shared) && now - shared.At < _options.TagResolveInterval
            && await _modules.FindAsync(shared.Module.Sha256, cancellationToken).ConfigureAwait(false) is not null)
        {
            _resolved[ResolutionKey(resource)] = shared;
            return shared.Module;
        }

        return null;
    }

    private async Task<WasmModuleResult> ResolveAsync(AutoWasm resource, AutoWasm model, CancellationToken cancellationToken)
    {
        var sourceRequest = await _requests.CreateAsync(model, cancellationToken: cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (await TakeSharedAsync(resource, sourceRequest, now, cancellationToken).ConfigureAwait(false) is { } shared)
        {
            return shared;
        }

        var module = await _modules.EnsureAsync(sourceRequest, cancellationToken).ConfigureAwait(false);
        _resolved[ResolutionKey(resource)] = (module, now);
        _resolvedSources[sourceRequest.SourceKey] = (module, now);
        return module;
    }

    /// <summary>A registry's refusal in the AutoWasm's own terms: which field (spec.secret) and which secret to fix.</summary>
    private static string CredentialsMessage(AutoWasm resource, AutoWasm model, WasmSourceException error)
    {
        var host = model.Spec.Filter.Source.Registry is { } registry ? ImageReference.Parse(registry.Image).Registry : error.Subject;
        var ns = resource.NamespaceOrDefault;
        var secret = $"secret {ns}/{model.Spec.Secret} (spec.secret)";
        var create = $"kubectl create secret docker-registry NAME -n {ns} --docker-server={host} --docker-username=… --docker-password=…";
        return error.CredentialsProblem switch
        {
            RegistryCredentialsProblem.NoPullSecret =>
                $"the registry {host} requires authentication and this AutoWasm names no pull secret: create one ({create}) and set spec.secret to its name",
            RegistryCredentialsProblem.NoEntryForRegistry =>
                $"the registry {host} requires authentication and {secret} has no entry for {host}; add one (recreate it with {create.Replace("NAME", model.Spec.Secret, StringComparison.Ordinal)})",
            _ => $"the registry {host} refused the credentials {secret} holds for {host}; update the user name and password in that secret",
        };
    }

    private static string ResolutionKey(AutoWasm resource)
        => $"{resource.Metadata.NamespaceProperty}/{resource.Metadata.Name}/{resource.Metadata.Uid}/{resource.Metadata.Generation}/{(resource.Metadata.Annotations is { } annotations && annotations.TryGetValue(ResolveAnnotation, out var resolveAt) ? resolveAt : null)}";

    private async Task<WasmPreflightResult?> PreflightAsync(WasmModuleResult module, CancellationToken cancellationToken)
    {
        if (!_options.Preflight)
        {
            return null;
        }

        if (_preflight.TryGetValue(module.Sha256.Hex, out var known))
        {
            return known;
        }

        var info = await WasmModuleInspector.InspectFileAsync(module.Path, cancellationToken).ConfigureAwait(false);
        var result = WasmPreflight.Check(info, new WasmPreflightOptions { OldestHost = _options.PreflightOldestHost });
        _preflight[module.Sha256.Hex] = result;
        return result;
    }

    private async Task DeleteOrphanAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        foreach (var kind in IstioOutputWriter.Kinds)
        {
            if (await _writer.DeleteOwnedAsync(kind, request.Namespace!, request.Name, null, cancellationToken).ConfigureAwait(false))
            {
                Log.DeletedOutput(_logger, kind, request.Namespace!, request.Name, "nothing");
            }
        }
    }

    /// <summary>
    /// Reports a failure to make the module available. Transient failures retry with backoff, permanent ones at the slow
    /// <see cref="AutoWasmOperatorOptions.PermanentFailureRetryInterval"/> (or on a spec change). A failed tag re-check of
    /// a Synced AutoWasm whose module is still served keeps it Synced with <c>SourceReachable=False</c>: sidecars keep the
    /// module and EnvoyFilter they have.
    /// </summary>
    private async Task<ReconcileResult> FailedAsync(string key, AutoWasm resource, ReconcileFailure failure, CancellationToken cancellationToken)
    {
        Log.FetchFailed(_logger, key, failure.Reason, failure.Message);
        var retry = failure.IsTransient ? ReconcileResult.RequeueAfter(TransientRetryDelay(key)) : ReconcileResult.RequeueAfter(_options.PermanentFailureRetryInterval);
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

    /// <summary>
    /// Reports a fetch in progress as phase <c>Pending</c> with what it waits for, once per generation: an AutoWasm
    /// already Synced for this generation (a tag re-check) stays Synced, and one Failed for it (a retry) keeps its
    /// failure until the retry's outcome is known, so retries write no status.
    /// </summary>
    private async Task SetPendingAsync(AutoWasm resource, AutoWasm model, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var previous = resource.Status;
        if (previous is { Phase: AutoWasmPhase.Synced or AutoWasmPhase.Failed } && previous.ObservedGeneration == resource.Metadata.Generation)
        {
            return;
        }

        var message = $"waiting for the module from {SourceDescription(model)} (fetch started {Truncate(since):yyyy-MM-ddTHH:mm:ssZ}; at most {_options.FetchConcurrency.ToString(CultureInfo.InvariantCulture)} fetches run at once)";
        var status = (previous ?? new AutoWasmStatus()) with
        {
            Phase = AutoWasmPhase.Pending,
            Message = message,
            ObservedGeneration = resource.Metadata.Generation,
            Conditions = [Condition(resource, ReadyCondition, "False", "Fetching", message)],
        };
        await WriteStatusAsync(resource, status, forceTime: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The exact source of a fetched module: the image by manifest digest, or the object URL.</summary>
    private static ModuleSource RecordedSource(AutoWasm model, WasmModuleResult module)
    {
        if (model.Spec.Filter.Source.Registry is { } registry)
        {
            var image = ImageReference.Parse(registry.Image);
            var digest = module.ManifestDigest ?? image.Digest;
            return new ModuleSource { Image = (digest is { } d ? image with { Tag = null, Digest = d } : image).ToString() };
        }

        return new ModuleSource { Url = model.Spec.Filter.Source.Object!.Url };
    }

    /// <summary>The AutoWasm's source as users wrote it, without credentials: an image reference, or a URL without user info and query.</summary>
    private static string SourceDescription(AutoWasm model)
    {
        if (model.Spec.Filter.Source.Registry is { } registry)
        {
            return $"image {registry.Image}";
        }

        var url = new Uri(model.Spec.Filter.Source.Object!.Url, UriKind.Absolute);
        return $"{url.Scheme}://{url.Authority}{url.AbsolutePath}";
    }

    private async Task SetFailedAsync(AutoWasm resource, string reason, string message, CancellationToken cancellationToken, StatusCondition? extraCondition = null, bool keepDigests = true)
    {
        var previous = resource.Status;
        var status = new AutoWasmStatus
        {
            Phase = AutoWasmPhase.Failed,
            Message = message,
            ObservedGeneration = resource.Metadata.Generation,
            // The written resource stays as it is whatever failed (an invalid spec too): the status keeps naming it, its
            // module and that module's source, so every replica keeps serving it and the cache keeps it — unless the
            // module must stop being served (an unverified module under spec.verify Enforce).
            Sha256 = keepDigests ? previous?.Sha256 : null,
            ManifestDigest = keepDigests ? previous?.ManifestDigest : null,
            EnvoyFilter = previous?.EnvoyFilter,
            Resource = previous?.Resource,
            Source = keepDigests ? previous?.Source : null,
            FetchedFrom = keepDigests ? previous?.FetchedFrom : null,
            Conditions = extraCondition is null ? [Condition(resource, ReadyCondition, "False", reason, message)] : [Condition(resource, ReadyCondition, "False", reason, message), extraCondition],
        };

        if (await WriteStatusAsync(resource, status, forceTime: false, cancellationToken).ConfigureAwait(false))
        {
            await EmitEventAsync(resource, "Warning", reason, message, cancellationToken).ConfigureAwait(false);
        }
    }

    private StatusCondition Condition(AutoWasm resource, string type, string status, string reason, string message)
    {
        var previous = resource.Status?.Conditions.FirstOrDefault(c => c.Type == type);
        var since = previous is not null && previous.Status == status ? previous.LastTransitionTime : _time.GetUtcNow();
        return new StatusCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = resource.Metadata.Generation,
            LastTransitionTime = Truncate(since ?? _time.GetUtcNow()),
        };
    }

    /// <summary>Writes the status unless it equals the current one (apart from timestamps). Returns whether it wrote.</summary>
    private async Task<bool> WriteStatusAsync(AutoWasm resource, AutoWasmStatus status, bool forceTime, CancellationToken cancellationToken)
    {
        var current = resource.Status;
        if (!forceTime && current is not null && SameIgnoringTimes(current, status))
        {
            return false;
        }

        var stamped = status with { LastSyncTime = Truncate(_time.GetUtcNow()) };
        var target = resource;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _autowasms.ReplaceStatusAsync(target with { Status = stamped }, _write, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (KubernetesApiException e) when (e.IsConflict && attempt < StatusConflictAttempts)
            {
                // The informer's copy is behind the API (a status written a moment ago has not come back yet). The
                // status is this controller's alone, so it is written onto the latest version — as long as that is
                // still the spec this outcome belongs to; a newer spec is reconciled on its own event.
                var latest = await _autowasms.TryGetAsync(resource.NamespaceOrDefault, resource.Metadata.Name, cancellationToken).ConfigureAwait(false);
                if (latest is null || latest.Metadata.Uid != resource.Metadata.Uid || latest.Metadata.Generation != resource.Metadata.Generation
                    || latest.Metadata.DeletionTimestamp is not null)
                {
                    Log.StatusSuperseded(_logger, resource.NamespaceOrDefault + "/" + resource.Metadata.Name);
                    return false;
                }

                if (latest.Status is not null && SameIgnoringTimes(latest.Status, status) && !forceTime)
                {
                    return false;
                }

                target = latest;
            }
        }
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

    /// <summary>
    /// Writes <c>Failed</c> with the decoding error (which names the field path) into the status of an AutoWasm whose
    /// current version does not decode, and a Warning Event, once per distinct error. A merge patch of the status only:
    /// the object itself cannot be read into the model, and the last good status fields (the module still served) stay.
    /// </summary>
    private async Task ReportUndecodableAsync(string key, UndecodableObject bad, CancellationToken cancellationToken)
    {
        var ns = string.IsNullOrEmpty(bad.Metadata.NamespaceProperty) ? AutoWasm.DefaultNamespace : bad.Metadata.NamespaceProperty;
        var name = bad.Metadata.Name ?? string.Empty;
        var message = $"the object does not match the AutoWasm schema: {bad.Error.TrimEnd('.')}; fix it with 'kubectl edit autowasm {name} -n {ns}' (the output of its last good version stays in place)";
        if (_undecodableReported.TryGetValue(key, out var reported) && reported == message)
        {
            return;
        }

        Log.Invalid(_logger, key, message);
        var now = Truncate(_time.GetUtcNow()).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["status"] = new System.Text.Json.Nodes.JsonObject
            {
                ["phase"] = nameof(AutoWasmPhase.Failed),
                ["message"] = message,
                ["observedGeneration"] = bad.Metadata.Generation,
                ["lastSyncTime"] = now,
                ["conditions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = ReadyCondition,
                    ["status"] = "False",
                    ["reason"] = "InvalidObject",
                    ["message"] = message,
                    ["observedGeneration"] = bad.Metadata.Generation,
                    ["lastTransitionTime"] = now,
                }),
            },
        };
        var type = KubernetesResourceType.Of<AutoWasm>();
        await _kubernetes.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), type.Group, type.Version, ns, type.Plural, name, fieldManager: _options.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
        _undecodableReported[key] = message;
        await EmitEventAsync(bad.Metadata, ns, "Warning", "InvalidObject", message, cancellationToken).ConfigureAwait(false);
    }

    private Task EmitEventAsync(AutoWasm resource, string type, string reason, string message, CancellationToken cancellationToken) =>
        EmitEventAsync(resource.Metadata, resource.NamespaceOrDefault, type, reason, message, cancellationToken);

    private async Task EmitEventAsync(V1ObjectMeta metadata, string ns, string type, string reason, string message, CancellationToken cancellationToken)
    {
        if (!_options.EmitEvents)
        {
            return;
        }

        var now = Truncate(_time.GetUtcNow());
        var name = metadata.Name!;
        var eventTime = now.UtcDateTime;
        var record = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = _eventNames.Next(name) },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = AutoWasm.ApiVersionValue,
                Kind = AutoWasm.KindValue,
                NamespaceProperty = ns,
                Name = name,
                Uid = metadata.Uid,
                ResourceVersion = metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message.Length <= 1024 ? message : message[..1024],
            Count = 1,
            FirstTimestamp = eventTime,
            LastTimestamp = eventTime,
            Source = new V1EventSource { Component = _options.EventComponent },
            ReportingComponent = _options.EventComponent,
        };
        try
        {
            await _kubernetes.CoreV1.CreateNamespacedEventAsync(record, ns, fieldManager: _options.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            Log.EventFailed(_logger, ns, name, KubernetesApiException.From(e, "POST", $"/api/v1/namespaces/{ns}/events").Message);
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

    /// <summary>A fetched module and, with <c>spec.verify</c>, its signature check (no module: Enforce refused it).</summary>
    private sealed record Fetched(WasmModuleResult? Module, SignatureCheck? Signature)
    {
        public Fetched((WasmModuleResult? Module, SignatureCheck Check) verified)
            : this(verified.Module, verified.Check)
        {
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
