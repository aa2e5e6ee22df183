namespace WasmMesh.Controllers;

/// <summary>What a controller is doing, as reported by <see cref="IControllerManager.CheckHealth"/>.</summary>
public enum ControllerState
{
    /// <summary>The startup gates (informer caches) have not all opened yet. Unhealthy.</summary>
    WaitingForCaches,

    /// <summary>The caches are synced and another replica leads (or this one campaigns): the controller waits, as it should. Healthy.</summary>
    Standby,

    /// <summary>This replica leads and the controller's workers and sources run. Healthy.</summary>
    Running,

    /// <summary>One of the controller's sources threw or ended while it ran, so it gets no more keys. Unhealthy until the process restarts.</summary>
    SourceFailed,
}
