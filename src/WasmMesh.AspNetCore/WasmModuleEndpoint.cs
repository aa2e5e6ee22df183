using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using WasmMesh.Sources;

namespace WasmMesh.AspNetCore;

/// <summary>Answers <c>GET</c>/<c>HEAD /wasm/{sha256}</c> from the verified cache.</summary>
internal sealed class WasmModuleEndpoint(
    IWasmModuleProvider provider,
    IWasmModuleCache cache,
    ModuleMemoryCache memory,
    IOptions<WasmServingOptions> options,
    ServingMetrics metrics,
    ILogger<WasmModuleEndpoint> logger)
{
    /// <summary>The route parameter holding the digest.</summary>
    public const string RouteParameter = "sha256";

    private static readonly StringValues CacheControlValue = new(WasmServingOptions.ImmutableCacheControl);
    private static readonly StringValues ContentTypeValue = new(WasmServingOptions.WasmContentType);
    private static readonly StringValues AcceptRangesValue = new("bytes");

    /// <summary>The largest piece of a body written at once (and so the largest buffer a response takes).</summary>
    private const int ChunkSize = 1 << 20;

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
        var hex = context.Request.RouteValues[RouteParameter] as string;
        if (!IsLowercaseSha256Hex(hex))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "a module is named by the sha256 of its bytes: 64 lowercase hex digits, e.g. /wasm/750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f").ConfigureAwait(false);
            return;
        }

        var digest = Digest.FromSha256Hex(hex);
        for (var attempt = 0; ; attempt++)
        {
            var module = await FindAsync(context, digest).ConfigureAwait(false);
            if (module is null)
            {
                return;
            }

            try
            {
                await WriteModuleAsync(context, module).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is (IOException and not Microsoft.AspNetCore.Connections.ConnectionResetException) or UnauthorizedAccessException
                                       && !context.RequestAborted.IsCancellationRequested)
            {
                // The file vanished or could not be read: doubt it, so it is re-verified (and refetched) before it is served again.
                cache.MarkUnverified(digest);
                memory.Remove(digest.Hex);
                Log.ReadFailed(logger, digest.Hex, ex.Message);
                if (context.Response.HasStarted || attempt > 0)
                {
                    context.Abort();
                    return;
                }

                context.Response.Clear();
            }
        }
    }

    private static bool IsLowercaseSha256Hex([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value)
    {
        if (value is not { Length: 64 })
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
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

    private async ValueTask<CachedWasmModule?> FindAsync(HttpContext context, Digest digest)
    {
        try
        {
            var module = options.Value.FillOnDemand
                ? await provider.FindAsync(digest, context.RequestAborted).ConfigureAwait(false)
                : await cache.TryGetAsync(digest, context.RequestAborted).ConfigureAwait(false);
            if (module is null)
            {
                memory.Remove(digest.Hex);
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

    private async Task WriteModuleAsync(HttpContext context, CachedWasmModule module)
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
            // Range and If-Range: the framework's file result implements RFC 9110 range processing.
            var result = Results.File(module.Path, WasmServingOptions.WasmContentType, fileDownloadName: null, lastModified: null, entityTag: new EntityTagHeaderValue(etag), enableRangeProcessing: true);
            await result.ExecuteAsync(context).ConfigureAwait(false);
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

        await WriteBodyAsync(response, module, memory.TryGet(module), context.RequestAborted).ConfigureAwait(false);

        metrics.Served(StatusCodes.Status200OK, module.Size);
    }

    /// <summary>
    /// Writes the body straight into the response pipe in large chunks: one copy from memory (or one read from the
    /// file) per chunk, no intermediate buffer, and few large segments for the socket instead of many 4 KiB ones.
    /// </summary>
    private static async Task WriteBodyAsync(HttpResponse response, CachedWasmModule module, byte[]? content, CancellationToken cancellationToken)
    {
        if (content is not null)
        {
            // Start first: before the response starts the body writer hands out temporary memory that is copied again.
            await response.StartAsync(cancellationToken).ConfigureAwait(false);
            await WriteFromMemoryAsync(response.BodyWriter, content, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Open the file before anything is sent, so that a vanished file can still be answered properly.
        using var handle = File.OpenHandle(module.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.SequentialScan);
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        await WriteFromFileAsync(response.BodyWriter, handle, module, cancellationToken).ConfigureAwait(false);
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

    private static async Task WriteFromFileAsync(System.IO.Pipelines.PipeWriter writer, Microsoft.Win32.SafeHandles.SafeFileHandle handle, CachedWasmModule module, CancellationToken cancellationToken)
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
