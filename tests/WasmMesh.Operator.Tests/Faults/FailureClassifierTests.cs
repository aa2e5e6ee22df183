using System.Net;
using System.Net.Sockets;
using WasmMesh.Oci;
using WasmMesh.Sources;
using Xunit;

namespace WasmMesh.Operator.Tests.Faults;

public sealed class FailureClassifierTests
{
    private static readonly Digest A = Digest.Parse("sha256:" + new string('a', 64));
    private static readonly Digest B = Digest.Parse("sha256:" + new string('b', 64));

    public static TheoryData<string, Exception, string, bool> Cases() => new()
    {
        { "digest mismatch", new DigestMismatchException(A, B, "https://example.com/m.wasm"), "DigestMismatch", false },
        { "too large", new SizeLimitExceededException(256L << 20, "https://example.com/m.wasm", 300L << 20), "ModuleTooLarge", false },
        { "invalid module", new InvalidWasmModuleException("https://example.com/m.wasm", "bad magic", 0), "InvalidModule", false },
        { "401", new WasmSourceException(WasmSourceKind.Object, "https://example.com/m.wasm", "the server answered 401 Unauthorized", HttpStatusCode.Unauthorized, isTransient: false), "SourceUnauthorized", false },
        { "403", new WasmSourceException(WasmSourceKind.Registry, "r.example.com/a:v1", "denied", HttpStatusCode.Forbidden, isTransient: false), "SourceUnauthorized", false },
        { "404", new WasmSourceException(WasmSourceKind.Object, "https://example.com/m.wasm", "the server answered 404 NotFound", HttpStatusCode.NotFound, isTransient: false), "SourceNotFound", false },
        { "500", new WasmSourceException(WasmSourceKind.Object, "https://example.com/m.wasm", "the server answered 500", HttpStatusCode.InternalServerError, isTransient: true), "SourceUnavailable", true },
        { "429", new WasmSourceException(WasmSourceKind.Object, "https://example.com/m.wasm", "the server answered 429", HttpStatusCode.TooManyRequests, isTransient: true), "SourceUnavailable", true },
        { "sha256-prefixed pin", new FormatException("'sha256:sha256:abc' is not a digest"), "InvalidSpec", false },
        { "pull secret", new PullSecretException("default", "creds", "secret default/creds not found"), "PullSecretUnavailable", true },
        { "refused connection", new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)), "SourceUnavailable", true },
        { "timeout", new TimeoutException("no answer"), "Timeout", true },
        { "registry that never answers", new RegistryUnreachableException("r.example.com", "no response headers within 30s to GET https://r.example.com/v2/a/manifests/v1 for repository a (the ResponseHeaderTimeout option)", new TaskCanceledException()), "SourceUnavailable", true },
        { "registry stalled mid-blob, from the registry source", new WasmSourceException(WasmSourceKind.Registry, "r.example.com/a:v1", "cannot reach registry r.example.com: no data received for 30s while reading blob (the IdleReadTimeout option)", isTransient: true, innerException: new RegistryUnreachableException("r.example.com", "stalled", new TaskCanceledException())), "SourceUnavailable", true },
        { "full disk", new IOException("No space left on device : '/var/cache/wasmer/tmp/5b1e.part'", 28), "DiskFull", true },
        { "mismatch inside a source error", new WasmSourceException(WasmSourceKind.Object, "https://example.com/m.wasm", "verify failed", innerException: new DigestMismatchException(A, B, "x")), "DigestMismatch", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_KnownFailure_HasItsReasonAndRetryClass(string name, Exception failure, string reason, bool transient)
    {
        var classified = FailureClassifier.Classify(failure);

        Assert.True(reason == classified.Reason, $"{name}: reason {classified.Reason}");
        Assert.True(transient == classified.IsTransient, $"{name}: transient {classified.IsTransient}");
        Assert.NotEmpty(classified.Message);
    }

    [Fact]
    public void Classify_FullDiskWithDifferentTempFiles_GivesTheSameMessage()
    {
        var first = FailureClassifier.Classify(new IOException("No space left on device : '/var/cache/wasmer/tmp/5b1e0c.part'", 28));
        var second = FailureClassifier.Classify(new IOException("No space left on device : '/var/cache/wasmer/tmp/99ffa2.part'", 28));

        Assert.Equal(first, second);
        Assert.DoesNotContain("part", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stable_MessageWithTempPath_ReplacesThePathButKeepsUrls()
    {
        var stable = FailureClassifier.Stable("cannot write '/tmp/wasm-1234.tmp' for https://example.com/a/b.wasm");

        Assert.Equal("cannot write '<path>' for https://example.com/a/b.wasm", stable);
    }

    [Fact]
    public void Stable_VeryLongMessage_IsCutToTheEventLimit()
    {
        Assert.Equal(1024, FailureClassifier.Stable(new string('x', 5000)).Length);
    }
}
