using System.Globalization;
using Microsoft.AspNetCore.Http;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>Faulty upstreams on the stub server: paths that fail, hang (accept and never answer) or stream slowly.</summary>
internal static class FaultStubs
{
    /// <summary>Answers 500 with a body that differs every time (as an error naming a random temp file would).</summary>
    public static Uri Failing(this HttpTestServer stub, string path)
    {
        path = "/" + path.TrimStart('/');
        var attempt = 0;
        stub.Map(path, async context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync($"write /var/tmp/upload-{Interlocked.Increment(ref attempt).ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}: no space left on device", context.RequestAborted);
        });
        return stub.Url(path);
    }

    /// <summary>Accepts the request and never answers until <paramref name="release"/> is cancelled (then drops it).</summary>
    public static Uri Hanging(this HttpTestServer stub, string path, CancellationToken release)
    {
        path = "/" + path.TrimStart('/');
        stub.Map(path, async context =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(release, context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, either.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
            }
        });
        return stub.Url(path);
    }

    /// <summary>Sends the headers, then <paramref name="body"/> one small chunk per <paramref name="interval"/>.</summary>
    public static Uri Trickling(this HttpTestServer stub, string path, byte[] body, TimeSpan interval, CancellationToken release)
    {
        path = "/" + path.TrimStart('/');
        stub.Map(path, async context =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(release, context.RequestAborted);
            context.Response.ContentType = "application/wasm";
            context.Response.ContentLength = body.Length;
            try
            {
                await context.Response.StartAsync(either.Token);
                for (var offset = 0; offset < body.Length; offset += 16)
                {
                    await context.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(16, body.Length - offset)), either.Token);
                    await context.Response.Body.FlushAsync(either.Token);
                    await Task.Delay(interval, either.Token);
                }
            }
            catch (OperationCanceledException)
            {
                context.Abort();
            }
        });
        return stub.Url(path);
    }
}
