namespace WasmMesh;

/// <summary>Content was larger than the configured limit; reading stopped at the limit.</summary>
public sealed class SizeLimitExceededException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limit">The limit in bytes.</param>
    /// <param name="subject">What was being read (no credentials).</param>
    /// <param name="declaredSize">The size the source declared, when known.</param>
    /// <param name="remedy">How the reader can raise the limit, when the caller has a setting for it (e.g. "raise
    /// --Wasmer:MaxModuleBytes"); without one the message says why the limit exists.</param>
    public SizeLimitExceededException(long limit, string subject, long? declaredSize = null, string? remedy = null)
        : base((declaredSize is { } size
            ? $"{subject} is {size} bytes, over the limit of {limit} bytes; "
            : $"{subject} exceeds the limit of {limit} bytes; ") + (remedy ?? DefaultRemedy))
    {
        Limit = limit;
        Subject = subject;
        DeclaredSize = declaredSize;
    }

    /// <summary>What the message says when the caller names no setting that raises the limit.</summary>
    public const string DefaultRemedy = "content that large is not expected (the limit guards against oversized or hostile content)";

    /// <summary>The limit in bytes.</summary>
    public long Limit { get; }

    /// <summary>What was being read.</summary>
    public string Subject { get; }

    /// <summary>The size the source declared, when it declared one.</summary>
    public long? DeclaredSize { get; }
}
