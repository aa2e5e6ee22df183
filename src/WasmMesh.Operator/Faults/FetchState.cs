namespace WasmMesh.Operator;

/// <summary>Where a scheduled fetch stands.</summary>
internal enum FetchStage
{
    /// <summary>Waiting for a free fetch slot.</summary>
    Queued,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Finished with a result (handed out once).</summary>
    Succeeded,

    /// <summary>Finished with an error (handed out once).</summary>
    Failed,
}

/// <summary>The state of a fetch an owner scheduled.</summary>
/// <typeparam name="TResult">The fetch result.</typeparam>
/// <param name="Stage">Where it stands.</param>
/// <param name="Since">When it was scheduled.</param>
/// <param name="Result">The result when <see cref="FetchStage.Succeeded"/>.</param>
/// <param name="Error">The error when <see cref="FetchStage.Failed"/>.</param>
internal readonly record struct FetchState<TResult>(FetchStage Stage, DateTimeOffset Since, TResult? Result = default, Exception? Error = null)
    where TResult : class
{
    /// <summary>Whether the fetch is still queued or running.</summary>
    public bool IsPending => Stage is FetchStage.Queued or FetchStage.Running;
}
