using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Microsoft.Win32.SafeHandles;
using WasmMesh.Sources;

namespace WasmMesh.AspNetCore;

/// <summary>
/// Answers <c>GET</c>/<c>HEAD /wasm/{sha256}</c> — full bodies, ranges and headers alike — only from verified bytes:
/// the module's verified bytes in memory, or its cache file after its identity was compared with the one it was
/// verified with. A changed file is hashed again before anything is answered for it.
/// </summary>
internal sealed class WasmModuleEndpoint(
    IWasmModuleProvider provider,
    ModuleMemoryCache memory,
    IOptions<WasmServingOptions> options,
    ServingMetrics metrics,
    ModuleAccessGate gate,
    ILogger<WasmModuleEndpoint> logger)
{
    /// <summary>The route parameter holding the digest.</summary>
    public const string RouteParameter = "sha256";

    /// <summary>The route parameter holding the access token of <c>/wasm/{sha256}/{token}</c>.</summary>
    public const string TokenParameter = "token";

    private static readonly StringValues CacheControlValue = new(WasmServingOptions.ImmutableCacheControl);
    private static readonly StringValues ContentTypeValue = new(WasmServingOptions.WasmContentType);
    private static readonly StringValues AcceptRangesValue = new("bytes");

    /// <summary>The largest piece of a body written at once (and so the largest buffer a response takes).</summary>
    private const int ChunkSize = 1 << 20;

    /// <summary>How often a module whose file changed under it is looked up again (and so re-verified) in one request.</summary>
    private const int MaxAttempts = 3;

    public async Task HandleAsync(HttpContext context)
    {
        using var activity = ServingActivity.Source.StartActivity("wasmmesh.serve");
        await HandleCoreAsync(context).ConfigureAwait(false);
        if (activity is not null)
        {
            activity.SetTag("wasmmesh.module.sha256", context.Request.RouteValues[RouteParameter] as string);
            activity.SetTag("http.response.status_code", context.Response.StatusCode);
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        if (!Digest.TryFromSha256Hex(context.Request.RouteValues[RouteParameter] as string, out var digest))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "a module is named by the sha256 of its bytes: 64 lowercase hex digits, e.g. /wasm/750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f").ConfigureAwait(false);
            return;
        }

        // Checked before the cache is consulted or filled, and answered like an unknown digest: a refusal tells nothing.
        if (!gate.Allows(digest, context.Request.RouteValues[TokenParameter] as string))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"no module with sha256 {digest.Hex} is known here").ConfigureAwait(false);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            var module = await FindAsync(context, digest).ConfigureAwait(false);
            if (module is null)
            {
                return;
            }

            var content = memory.TryGet(module);
            var handle = content is null ? provider.TryOpen(module) : null;
            if (content is null && handle is null)
            {
                // The file is not the one that was verified: it is hashed again (and deleted when corrupt) by the next lookup.
                memory.Remove(digest);
                if (attempt < MaxAttempts)
                {
                    continue;
                }

                await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"module {digest.Hex} keeps changing on disk; try again").ConfigureAwait(false);
                return;
            }

            try
            {
                await WriteModuleAsync(context, module, content, handle).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is (IOException and not Microsoft.AspNetCore.Connections.ConnectionResetException) or UnauthorizedAccessException
                                       && !context.RequestAborted.IsCancellationRequested)
            {
                // The file could not be read: doubt it, so it is re-verified (and refetched) before it is served again.
                provider.MarkUnverified(digest);
                memory.Remove(digest);
                Log.ReadFailed(logger, digest.Hex, ex.Message);
                if (context.Response.HasStarted || attempt >= MaxAttempts)
                {
                    context.Abort();
                    return;
                }

                context.Response.Clear();
            }
            finally
            {
                handle?.Dispose();
            }
        }
    }

    private static bool IfNoneMatchMatches(StringValues ifNoneMatch, string etag)
    {
        foreach (var value in ifNoneMatch)
        {
            if (string.Equals(value, etag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        if (EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            foreach (var tag in tags)
            {
                if (tag.Equals(EntityTagHeaderValue.Any) || string.Equals(tag.Tag.Value, etag, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private async ValueTask<WasmModuleResult?> FindAsync(HttpContext context, Digest digest)
    {
        try
        {
            var module = await provider.FindAsync(digest, options.Value.FillOnDemand, context.RequestAborted).ConfigureAwait(false);
            if (module is null)
            {
                memory.Remove(digest);
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"no module with sha256 {digest.Hex} is known here").ConfigureAwait(false);
            }

            return module;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
        catch (DigestMismatchException ex)
        {
            Log.FillFailed(logger, digest.Hex, ex.Message);
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"the source of module {digest.Hex} no longer serves these bytes").ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // a failing resolver or source must answer 502, not tear down the request with a 500
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.FillFailed(logger, digest.Hex, ex.Message);
            await WriteErrorAsync(context, StatusCodes.Status502BadGateway, $"module {digest.Hex} could not be fetched from its source; the server log says why").ConfigureAwait(false);
            return null;
        }
    }

    private async Task WriteModuleAsync(HttpContext context, WasmModuleResult module, byte[]? content, SafeFileHandle? handle)
    {
        var request = context.Request;
        var response = context.Response;
        var headers = response.Headers;
        var etag = module.ETag;
        headers.ETag = etag;
        headers.CacheControl = CacheControlValue;
        headers.AcceptRanges = AcceptRangesValue;

        var requestHeaders = request.Headers;
        var ifNoneMatch = requestHeaders.IfNoneMatch;
        if (ifNoneMatch.Count > 0 && IfNoneMatchMatches(ifNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            metrics.Served(StatusCodes.Status304NotModified, 0);
            return;
        }

        if (requestHeaders.Range.Count > 0 && HttpMethods.IsGet(request.Method))
        {
            // Range and If-Range: the framework's results implement RFC 9110 range processing, over the same verified bytes.
            var tag = new EntityTagHeaderValue(etag);
            IResult result;
            if (content is not null)
            {
                result = Results.Bytes(content, WasmServingOptions.WasmContentType, fileDownloadName: null, enableRangeProcessing: true, lastModified: null, entityTag: tag);
                await result.ExecuteAsync(context).ConfigureAwait(false);
            }
            else
            {
                var stream = new FileStream(handle!, FileAccess.Read, bufferSize: 0);
                await using (stream.ConfigureAwait(false))
                {
                    result = Results.Stream(stream, WasmServingOptions.WasmContentType, fileDownloadName: null, lastModified: null, entityTag: tag, enableRangeProcessing: true);
                    await result.ExecuteAsync(context).ConfigureAwait(false);
                }
            }

            metrics.Served(response.StatusCode, response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status206PartialContent ? response.ContentLength ?? 0 : 0);
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        headers.ContentType = ContentTypeValue;
        response.ContentLength = module.Size;
        if (HttpMethods.IsHead(request.Method))
        {
            metrics.Served(StatusCodes.Status200OK, 0);
            return;
        }

        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        if (content is not null)
        {
            // Started first: before the response starts the body writer hands out temporary memory that is copied again.
            await WriteFromMemoryAsync(response.BodyWriter, content, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await WriteFromFileAsync(response.BodyWriter, handle!, module, context.RequestAborted).ConfigureAwait(false);
        }

        metrics.Served(StatusCodes.Status200OK, module.Size);
    }

    private static async Task WriteFromMemoryAsync(System.IO.Pipelines.PipeWriter writer, byte[] content, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < content.Length;)
        {
            var size = Math.Min(ChunkSize, content.Length - offset);
            var target = writer.GetMemory(size);
            size = Math.Min(size, target.Length);
            content.AsSpan(offset, size).CopyTo(target.Span);
            writer.Advance(size);
            offset += size;
            var flushed = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }
    }

    private static async Task WriteFromFileAsync(System.IO.Pipelines.PipeWriter writer, SafeFileHandle handle, WasmModuleResult module, CancellationToken cancellationToken)
    {
        for (long offset = 0; offset < module.Size;)
        {
            var size = (int)Math.Min(ChunkSize, module.Size - offset);
            var target = writer.GetMemory(size);
            var read = await RandomAccess.ReadAsync(handle, target[..Math.Min(size, target.Length)], offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"cache file {module.Path} is shorter than the {module.Size} bytes it was verified with");
            }

            writer.Advance(read);
            offset += read;
            var flushed = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }
    }

    private Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        metrics.Served(statusCode, 0);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
