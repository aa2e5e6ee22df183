using System.Net;

namespace WasmMesh.Oci.Tests.Remote;

/// <summary>
/// A registry whose token service (the realm of its Bearer challenge, any host an AutoWasm author names) answers with an
/// endless body: the client reads at most a few MiB of it, while streaming, and fails with a size error.
/// Runs alone, so that the bytes the process allocates meanwhile are this test's.
/// </summary>
[Collection(nameof(TokenResponseLimitTests))]
[CollectionDefinition(nameof(TokenResponseLimitTests), DisableParallelization = true)]
public sealed class TokenResponseLimitTests
{
    private const long OneGiB = 1L << 30;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ResolveAsync_TokenServiceStreamsOneGiB_FailsAfterReadingAFewMiB(bool declareLength)
    {
        long sent = 0;
        var tokenRequests = 0;
        await using var tokens = RegistryHttpListener.Start(async context =>
        {
            Interlocked.Increment(ref tokenRequests);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            if (declareLength)
            {
                context.Response.ContentLength64 = OneGiB;
            }
            else
            {
                context.Response.SendChunked = true;
            }

            // A JSON string that never ends: a parser that buffered it would hold all of it.
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            "{\"token\":\""u8.CopyTo(chunk);
            try
            {
                while (Interlocked.Read(ref sent) < OneGiB)
                {
                    await context.Response.OutputStream.WriteAsync(chunk);
                    Interlocked.Add(ref sent, chunk.Length);
                    chunk.AsSpan(0, 10).Fill((byte)'a');
                }
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client hung up: what it read is what was sent.
            }
            finally
            {
                context.Response.Abort();
            }
        });
        await using var registry = RegistryHttpListener.Start(context =>
        {
            context.Response.StatusCode = 401;
            context.Response.AddHeader("WWW-Authenticate", $"Bearer realm=\"http://{tokens.Host}/token\",service=\"stub\"");
            context.Response.Close();
            return Task.CompletedTask;
        });
        using var test = new TestClient(o => o.PlainHttp = true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var error = await Assert.ThrowsAsync<SizeLimitExceededException>(() => test.Client.ResolveAsync(TestClient.Ref($"{registry.Host}/team/filter:v1"), null, Ct));

        Assert.Equal(RegistrySession.MaxTokenResponseSize, error.Limit);
        Assert.Contains("token response", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, tokenRequests);

        // Whatever the kernel's socket buffers took ahead of the client, far from the gigabyte offered.
        await Task.Delay(200, Ct);
        Assert.InRange(Interlocked.Read(ref sent), 0, 32L * 1024 * 1024);
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, 0, 48L * 1024 * 1024);
    }
}
