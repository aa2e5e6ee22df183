using System.Diagnostics;

namespace WasmMesh.Controllers;

/// <summary>The <c>WasmMesh.Controllers</c> activity source: one span around each reconcile (wasmmesh.reconcile).</summary>
internal static class ControllerActivity
{
    /// <summary>The activity source name (the package name).</summary>
    public const string SourceName = "WasmMesh.Controllers";

    /// <summary>The source; activities are created only while a listener (an OpenTelemetry tracer) samples them.</summary>
    public static readonly ActivitySource Source = new(SourceName, typeof(ControllerActivity).Assembly.GetName().Version?.ToString());
}
