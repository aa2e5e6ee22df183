namespace WasmMesh.Controllers;

/// <summary>Options of one controller (named options; the name is the controller's name). Validated at start.</summary>
public sealed class ControllerOptions
{
    /// <summary>How many keys are reconciled at once (never the same key twice). Default 1; between 1 and 1024.</summary>
    public int MaxConcurrentReconciles { get; set; } = 1;

    /// <summary>The first retry delay of a failing key; it doubles per failure. Default 5 ms.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = RateLimiters.DefaultBaseDelay;

    /// <summary>The largest retry delay of a failing key. Default 1000 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = RateLimiters.DefaultMaxDelay;

    /// <summary>The overall rate of retries (token bucket refill per second) across all keys. Default 10.</summary>
    public double RetriesPerSecond { get; set; } = RateLimiters.DefaultTokensPerSecond;

    /// <summary>The overall burst of retries (token bucket size) across all keys. Default 100.</summary>
    public int RetryBurst { get; set; } = RateLimiters.DefaultBurst;
}
