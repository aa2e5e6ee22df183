namespace WasmMesh.Operator.Tests.Faults;

/// <summary>A clock that moves only when told (enough for code that reads the time but sets no timers).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset to) => _now = to;
}
