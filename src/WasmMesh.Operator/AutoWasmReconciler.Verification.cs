using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WasmMesh.Controllers;
using WasmMesh.Model;
using WasmMesh.Sources;

namespace WasmMesh.Operator;

/// <summary>Signature verification (<c>spec.verify</c>): checked before anything is fetched into the cache or written.</summary>
internal sealed partial class AutoWasmReconciler
{
    private readonly AutoWasmSignatureVerifier? _verifier;
    private readonly IWasmModuleAccessTokens? _accessTokens;
    private readonly ConcurrentDictionary<string, (Digest Sha256, SignatureCheck Check)> _verifications = new(StringComparer.Ordinal);

    /// <summary>
    /// Resolves the module's digest, checks its signature, and only then fetches it, pinned to the digest that was
    /// checked: a registry tag is resolved to its manifest digest (through the mirrors), whose cosign signature must
    /// verify; an object module's pinned sha256 must carry a sign-blob signature at <c>signatureUrl</c>. Under Enforce
    /// a module that does not verify is not fetched (the module is <see langword="null"/>); under Audit it is fetched
    /// and the outcome only reported. An object source without a pinned sha256 (Audit only; validation requires the pin
    /// under Enforce) is checked against the fetched bytes' digest.
    /// </summary>
    /// <remarks>
    /// Events caused by the reconciler's own writes reuse the last check for the same generation within one resolve
    /// interval; keys and signatures are read again at the next interval.
    /// </remarks>
    private async Task<(WasmModuleResult? Module, SignatureCheck Check)> FetchVerifiedAsync(AutoWasm resource, AutoWasm model, CancellationToken cancellationToken)
    {
        var verifier = _verifier!;
        var enforce = model.Spec.Verify!.EffectiveMode == VerificationMode.Enforce;
        var resolutionKey = ResolutionKey(resource);
        if (_verifications.TryGetValue(resolutionKey, out var last)
            && await RecentlyResolvedAsync(resource, cancellationToken).ConfigureAwait(false) is { } recent && recent.Sha256 == last.Sha256)
        {
            return (recent, last.Check);
        }

        var request = await _requests.CreateAsync(model, cancellationToken: cancellationToken).ConfigureAwait(false);
        SignatureCheck check;
        WasmModuleResult module;
        if (request.Kind == WasmSourceKind.Registry)
        {
            var manifest = await _modules.ResolveManifestAsync(request, cancellationToken).ConfigureAwait(false);
            var pinned = request.Image!.WithDigest(manifest);
            check = await verifier.VerifyManifestAsync(resource, pinned, request.GetRegistryCredentials(), cancellationToken).ConfigureAwait(false);
            if (!check.Verified && enforce)
            {
                return (null, check);
            }

            module = await _modules.EnsureAsync(WasmSourceRequest.ForRegistry(pinned, request.PullSecret), cancellationToken).ConfigureAwait(false);
        }
        else if (request.ExpectedSha256 is { } pin)
        {
            check = await verifier.VerifyBlobAsync(resource, pin, cancellationToken).ConfigureAwait(false);
            if (!check.Verified && enforce)
            {
                return (null, check);
            }

            module = await _modules.EnsureAsync(request, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            module = await _modules.EnsureAsync(request, cancellationToken).ConfigureAwait(false);
            check = await verifier.VerifyBlobAsync(resource, module.Sha256, cancellationToken).ConfigureAwait(false);
        }

        _resolved[resolutionKey] = (module, _time.GetUtcNow());
        _verifications[resolutionKey] = (module.Sha256, check);
        return (module, check);
    }

    /// <summary>
    /// Enforce refused the module: <c>Failed</c> with <c>Verified=False</c>, nothing fetched or written, retried every
    /// resolve interval (a signature may be pushed later). The digests of the last module are kept (so sidecars keep it)
    /// only when that module was verified; a module deployed before <c>spec.verify</c> was added stops being served.
    /// </summary>
    private async Task<ReconcileResult> RefuseUnverifiedAsync(string key, AutoWasm resource, SignatureCheck check, CancellationToken cancellationToken)
    {
        var message = $"spec.verify (Enforce): {check.Message}; nothing is fetched, served or written";
        LogRefused(_logger, key, check.Reason, check.Message);
        var previous = resource.Status;
        var keep = previous?.Sha256 is not null
            && (previous.Conditions.Any(c => c.Type == SignatureCheck.ConditionType && c.Status == "True")
                || previous.Conditions.Any(c => c.Type == ReadyCondition && c.Reason == VerificationFailedReason));
        await SetFailedAsync(resource, VerificationFailedReason, message, cancellationToken, VerifiedCondition(resource, check), keep).ConfigureAwait(false);
        return ReconcileResult.RequeueAfter(_options.TagResolveInterval);
    }

    /// <summary>Audit let an unverified module through: a Warning event when it is new or the outcome changed.</summary>
    private async Task ReportAuditAsync(string key, AutoWasm resource, WasmModuleResult module, SignatureCheck check, CancellationToken cancellationToken)
    {
        var previous = resource.Status;
        var before = previous?.Conditions.FirstOrDefault(c => c.Type == SignatureCheck.ConditionType);
        if (previous?.Sha256 == module.Sha256 && before is { Status: "False" } && before.Message == check.Message)
        {
            return;
        }

        LogAudited(_logger, key, module.Sha256.Hex, check.Message);
        await EmitEventAsync(resource, "Warning", VerificationFailedReason, $"spec.verify (Audit): {check.Message}; the module is deployed anyway", cancellationToken).ConfigureAwait(false);
    }

    private StatusCondition VerifiedCondition(AutoWasm resource, SignatureCheck check)
        => Condition(resource, SignatureCheck.ConditionType, check.Verified ? "True" : "False", check.Reason, check.Message);

    private const string VerificationFailedReason = "VerificationFailed";

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "AutoWasm {Key}: the module is not verified ({Reason}): {Message}; spec.verify is Enforce, so nothing is fetched or written")]
    private static partial void LogRefused(ILogger logger, string key, string reason, string message);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "AutoWasm {Key}: module sha256:{Sha256} is not verified ({Message}); spec.verify is Audit, so it is deployed")]
    private static partial void LogAudited(ILogger logger, string key, string sha256, string message);
}
