namespace WasmMesh.Controllers;

/// <summary>What the controller does with a key after its reconcile returned.</summary>
public enum ReconcileResultKind
{
    /// <summary>Nothing: the key is forgotten (its backoff resets) until the object changes again.</summary>
    Done = 0,

    /// <summary>Reconcile again after the key's rate-limited (exponential backoff) delay.</summary>
    Requeue = 1,

    /// <summary>Reconcile again after a fixed delay; the key's backoff resets.</summary>
    RequeueAfter = 2,
}
