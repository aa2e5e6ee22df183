namespace WasmMesh.Controllers;

/// <summary>
/// The outcome of a successful reconcile: <see cref="Done"/>, <see cref="Requeue"/> (rate-limited) or
/// <see cref="RequeueAfter"/> (fixed delay). Failures are exceptions: any exception requeues the key with
/// exponential backoff, except <see cref="TerminalReconcileException"/>, which is not retried.
/// </summary>
public readonly record struct ReconcileResult
{
    private ReconcileResult(ReconcileResultKind kind, TimeSpan delay)
    {
        Kind = kind;
        Delay = delay;
    }

    /// <summary>The reconcile finished; nothing to do until the object changes.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Reconcile again after the key's rate-limited delay (per-key exponential backoff and the overall token bucket).</summary>
    public static ReconcileResult Requeue => new(ReconcileResultKind.Requeue, TimeSpan.Zero);

    /// <summary>What the controller does next.</summary>
    public ReconcileResultKind Kind { get; }

    /// <summary>The delay of a <see cref="ReconcileResultKind.RequeueAfter"/> result; zero otherwise.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Reconcile again after <paramref name="delay"/> (for example to re-check a tag); the key's backoff resets.</summary>
    /// <param name="delay">How long to wait; zero or negative requeues at once.</param>
    /// <returns>The result.</returns>
    public static ReconcileResult RequeueAfter(TimeSpan delay)
        => new(ReconcileResultKind.RequeueAfter, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);

    /// <summary>A readable form, such as <c>RequeueAfter(00:05:00)</c>.</summary>
    /// <returns>The result as text.</returns>
    public override string ToString() => Kind == ReconcileResultKind.RequeueAfter ? $"RequeueAfter({Delay})" : Kind.ToString();
}
