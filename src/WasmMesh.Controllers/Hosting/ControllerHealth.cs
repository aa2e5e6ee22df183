namespace WasmMesh.Controllers;

/// <summary>The health of one controller (a separate question from readiness: a replica serves modules whatever its controllers do).</summary>
/// <param name="Controller">The controller's name.</param>
/// <param name="State">What it is doing.</param>
/// <param name="Detail">One line for people: the leader, the queue length, or what failed.</param>
public sealed record ControllerHealth(string Controller, ControllerState State, string Detail)
{
    /// <summary>True when the controller runs or waits as it should (<see cref="ControllerState.Running"/> or <see cref="ControllerState.Standby"/>).</summary>
    public bool IsHealthy => State is ControllerState.Running or ControllerState.Standby;

    /// <inheritdoc />
    public override string ToString() => $"{Controller}: {(IsHealthy ? "ok" : "unhealthy")} ({State}): {Detail}";
}
