using Microsoft.Extensions.Logging;

namespace WasmMesh.Oci;

/// <summary>
/// Applies a <see cref="MirrorConfiguration"/> to pulls, resolves and inspections: tags are resolved only where
/// resolving is allowed, content is fetched by digest from the first place that serves it, and the result's
/// reference says where the module actually came from. Pushes and credential checks go to the named registry.
/// </summary>
internal sealed partial class MirroringRegistryClient(IWasmRegistryClient inner, MirrorConfiguration mirrors, ILogger<MirroringRegistryClient> logger) : IWasmRegistryClient
{
    public async Task<Digest> ResolveAsync(ImageReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Digest is { } pinned)
        {
            return pinned;
        }

        return (await ResolveOnAllowedHostsAsync(reference, mirrors.Plan(reference), credentials, cancellationToken).ConfigureAwait(false)).Digest;
    }

    public Task<WasmPullResult> PullAsync(ImageReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
        => FetchAsync(reference, credentials, (r, c, t) => inner.PullAsync(r, c, t), cancellationToken);

    public Task<WasmInspectResult> InspectAsync(ImageReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
        => FetchAsync(reference, credentials, (r, c, t) => inner.InspectAsync(r, c, t), cancellationToken);

    public Task<WasmPushResult> PushAsync(ImageReference reference, string wasmFilePath, WasmPushOptions options, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
        => inner.PushAsync(reference, wasmFilePath, options, progress, cancellationToken);

    public Task CheckCredentialsAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken = default)
        => inner.CheckCredentialsAsync(registry, credentials, cancellationToken);

    private async Task<T> FetchAsync<T>(ImageReference reference, RegistryCredentials? credentials, Func<ImageReference, RegistryCredentials?, CancellationToken, Task<T>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var plan = mirrors.Plan(reference);
        if (plan.Count == 1 && !plan[0].IsMirror && plan[0].Reference == reference)
        {
            return await fetch(reference, credentials, cancellationToken).ConfigureAwait(false);
        }

        var failures = new List<string>();
        Digest digest;
        if (reference.Digest is { } pinned)
        {
            digest = pinned;
        }
        else
        {
            (digest, _) = await ResolveOnAllowedHostsAsync(reference, plan, credentials, cancellationToken).ConfigureAwait(false);
        }

        // Content is fetched by digest everywhere, so a mirror can only serve the exact manifest that was resolved.
        foreach (var candidate in plan.Where(c => c.CanPull))
        {
            var target = candidate.Reference.WithDigest(digest);
            try
            {
                var result = await fetch(target, CredentialsFor(candidate, reference, credentials), cancellationToken).ConfigureAwait(false);
                LogFetched(logger, reference, target);
                return result;
            }
            catch (Exception e) when (e is WasmMeshException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{target.Registry}: {e.Message}");
            }
        }

        throw new MirrorsExhaustedException(reference.ToString(), failures.Count == 0 ? ["no host in the mirror plan may serve content (no 'pull' capability)"] : failures);
    }

    private async Task<(Digest Digest, ImageReference Where)> ResolveOnAllowedHostsAsync(ImageReference reference, IReadOnlyList<MirrorCandidate> plan, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var candidate in plan.Where(c => c.CanResolve))
        {
            try
            {
                var digest = await inner.ResolveAsync(candidate.Reference, CredentialsFor(candidate, reference, credentials), cancellationToken).ConfigureAwait(false);
                return (digest, candidate.Reference);
            }
            catch (Exception e) when (e is WasmMeshException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{candidate.Reference.Registry}: {e.Message}");
            }
        }

        throw new MirrorsExhaustedException(reference.ToString(), failures.Count == 0
            ? ["no host in the mirror plan may resolve tags (no 'resolve' capability, or NeverContactSource with digest-only mirrors); use a digest reference"]
            : failures);
    }

    /// <summary>Explicit credentials belong to the named registry: never send them to a mirror on another host.</summary>
    private static RegistryCredentials? CredentialsFor(MirrorCandidate candidate, ImageReference original, RegistryCredentials? credentials)
        => string.Equals(candidate.Reference.Registry, original.Registry, StringComparison.OrdinalIgnoreCase) ? credentials : null;

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Fetched {Reference} from {Source}")]
    private static partial void LogFetched(ILogger logger, ImageReference reference, ImageReference source);
}
