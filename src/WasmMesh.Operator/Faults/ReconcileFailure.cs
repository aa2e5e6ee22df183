namespace WasmMesh.Operator;

/// <summary>
/// Why a reconcile could not finish, classified once: the stable <see cref="Reason"/> (status condition reason and
/// Event reason), a <see cref="Message"/> that is the same for the same cause (no temp file names, no attempt counters,
/// so retries do not rewrite the status), and whether retrying soon may succeed.
/// </summary>
/// <param name="Reason">The condition and Event reason, in UpperCamelCase.</param>
/// <param name="Message">What failed, where, and what to do; stable for the same cause.</param>
/// <param name="IsTransient">True for network failures, timeouts, 5xx, 429 and a full disk (retried with backoff);
/// false for failures only a spec or Secret change fixes (retried on that change or at a slow interval).</param>
internal sealed record ReconcileFailure(string Reason, string Message, bool IsTransient);
