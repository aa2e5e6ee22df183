using Microsoft.Extensions.Logging;
using WasmMesh.Sources;

namespace WasmMesh.Operator;

/// <summary>
/// Lets any replica serve any module: maps a requested digest to the AutoWasm whose status names it and returns a
/// source request pinned to that digest (and to the recorded manifest digest for registry tags, so a moved tag
/// cannot substitute other bytes).
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
