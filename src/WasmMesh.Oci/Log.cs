using Microsoft.Extensions.Logging;

namespace WasmMesh.Oci;

/// <summary>Source-generated log messages. None of them carries credentials, headers or query strings.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Registry {Registry} does not offer HTTPS; using plain HTTP (loopback or insecure registry)")]
    public static partial void PlainHttpFallback(ILogger logger, string registry);

    [LoggerMessage(2, LogLevel.Debug, "Fetched a bearer token for {Registry} scope {Scope}")]
    public static partial void TokenFetched(ILogger logger, string registry, string scope);

    [LoggerMessage(3, LogLevel.Debug, "Blob {Digest} already exists in {Registry}/{Repository}; upload skipped")]
    public static partial void BlobExists(ILogger logger, Digest digest, string registry, string repository);

    [LoggerMessage(4, LogLevel.Debug, "Uploaded blob {Digest} ({Size} bytes) to {Registry}/{Repository}")]
    public static partial void BlobUploaded(ILogger logger, Digest digest, long size, string registry, string repository);

    [LoggerMessage(5, LogLevel.Debug, "Following a redirect for {Method} to {Host} (authorization {Kept})")]
    public static partial void Redirect(ILogger logger, string method, string host, string kept);

    [LoggerMessage(6, LogLevel.Information, "Pushed {Reference} as {Digest}")]
    public static partial void Pushed(ILogger logger, string reference, Digest digest);

    [LoggerMessage(7, LogLevel.Information, "Pulling {Reference} ({Digest}, layout {Layout})")]
    public static partial void Pulling(ILogger logger, string reference, Digest digest, WasmLayout layout);
}
