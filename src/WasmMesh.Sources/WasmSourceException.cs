using System.Net;

namespace WasmMesh.Sources;

/// <summary>A module source could not be read: an HTTP error status, a timeout, a refused connection or too many redirects.</summary>
public sealed class WasmSourceException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind of source.</param>
    /// <param name="subject">The source (an image reference, or an URL without query string).</param>
    /// <param name="reason">What went wrong and what to do about it.</param>
    /// <param name="statusCode">The HTTP status the source answered with, when it answered.</param>
    /// <param name="isTransient">Whether retrying later may succeed.</param>
    /// <param name="innerException">The cause.</param>
    public WasmSourceException(WasmSourceKind kind, string subject, string reason, HttpStatusCode? statusCode = null, bool isTransient = true, Exception? innerException = null)
        : base($"cannot fetch wasm module from {kind.ToString().ToLowerInvariant()} source {subject}: {reason}", innerException)
    {
        Kind = kind;
        Subject = subject;
        Reason = reason;
        StatusCode = statusCode;
        IsTransient = isTransient;
    }

    /// <summary>The kind of source.</summary>
    public WasmSourceKind Kind { get; }

    /// <summary>The source (an image reference, or an URL without query string).</summary>
    public string Subject { get; }

    /// <summary>What went wrong.</summary>
    public string Reason { get; }

    /// <summary>The HTTP status the source answered with, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Whether retrying later may succeed (timeouts, connection failures, 5xx, 429).</summary>
    public bool IsTransient { get; }

    /// <summary>For a registry that refused the pull for want of valid credentials: which part of the pull secret is at fault.</summary>
    public RegistryCredentialsProblem CredentialsProblem { get; init; }
}
