using System.Globalization;
using Microsoft.AspNetCore.Http;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>Faulty upstreams on the stub server (hanging sources: the end-to-end tests' SilentServer).</summary>
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
}
