namespace WasmMesh;

/// <summary>Content was larger than the configured limit; reading stopped at the limit.</summary>
public sealed class SizeLimitExceededException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limit">The limit in bytes.</param>
    /// <param name="subject">What was being read (no credentials).</param>
    /// <param name="declaredSize">The size the source declared, when known.</param>
    public SizeLimitExceededException(long limit, string subject, long? declaredSize = null)
        : base(declaredSize is { } size
            ? $"{subject} is {size} bytes, over the limit of {limit} bytes; raise the size limit option if this module is expected"
            : $"{subject} exceeds the limit of {limit} bytes; raise the size limit option if this module is expected")
    {
        Limit = limit;
        Subject = subject;
        DeclaredSize = declaredSize;
    }

    /// <summary>The limit in bytes.</summary>
    public long Limit { get; }

    /// <summary>What was being read.</summary>
    public string Subject { get; }

    /// <summary>The size the source declared, when it declared one.</summary>
    public long? DeclaredSize { get; }
}
