using Microsoft.Extensions.Logging;
using WasmMesh.Sources;

namespace WasmMesh.Operator;

/// <summary>
/// Lets any replica serve any module: maps a requested digest to the AutoWasm whose status names it and returns a
/// source request pinned to that digest, built from the exact source the status records (an image by digest or the
/// object URL), so a changed or broken spec cannot stop a replica from serving the module the written resource names.
/// </summary>
internal sealed partial class AutoWasmDigestResolver : IWasmDigestResolver
{
    private readonly AutoWasmStore _store;
    private readonly WasmSourceRequestFactory _requests;
    private readonly ILogger<AutoWasmDigestResolver> _logger;

    /// <summary>Creates the resolver.</summary>
    /// <param name="store">The AutoWasm cache.</param>
    /// <param name="requests">Builds source requests.</param>
    /// <param name="logger">The logger.</param>
    public AutoWasmDigestResolver(AutoWasmStore store, WasmSourceRequestFactory requests, ILogger<AutoWasmDigestResolver> logger)
    {
        _store = store;
        _requests = requests;
        _logger = logger;
    }

    /// <inheritdoc />
    public async ValueTask<WasmSourceRequest?> ResolveAsync(Digest sha256, CancellationToken cancellationToken = default)
    {
        var model = _store.FindBySha256(sha256);
        if (model is null)
        {
            return null;
        }

        var manifest = model.Status?.ManifestDigest;
        try
        {
            // The recorded source produced these bytes; the spec may name another (or a broken) source by now.
            if (model.Status?.Source is { } recorded)
            {
                return await _requests.CreateRecordedAsync(model, recorded, sha256, cancellationToken).ConfigureAwait(false);
            }

            return await _requests.CreateAsync(model, sha256, manifest, cancellationToken).ConfigureAwait(false);
        }
        catch (PullSecretException e)
        {
            NoSecret(_logger, sha256.Hex, e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Cannot fill module {Sha256} on demand: {Message}")]
    private static partial void NoSecret(ILogger logger, string sha256, string message);
}
