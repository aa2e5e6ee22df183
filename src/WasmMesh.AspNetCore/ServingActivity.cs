using System.Diagnostics;

namespace WasmMesh.AspNetCore;

/// <summary>The <c>WasmMesh.AspNetCore</c> activity source: one span around each module request served (wasmmesh.serve).</summary>
internal static class ServingActivity
{
    /// <summary>The activity source name (the package name).</summary>
    public const string SourceName = "WasmMesh.AspNetCore";

    /// <summary>The source; activities are created only while a listener (an OpenTelemetry tracer) samples them.</summary>
    public static readonly ActivitySource Source = new(SourceName, typeof(ServingActivity).Assembly.GetName().Version?.ToString());
}
