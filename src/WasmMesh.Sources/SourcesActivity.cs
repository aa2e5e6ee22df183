using System.Diagnostics;

namespace WasmMesh.Sources;

/// <summary>The <c>WasmMesh.Sources</c> activity source: one span around fetch (wasmmesh.fetch) and cache verification (wasmmesh.verify).</summary>
internal static class SourcesActivity
{
    /// <summary>The activity source name (the package name).</summary>
    public const string SourceName = "WasmMesh.Sources";

    /// <summary>The source; activities are created only while a listener (an OpenTelemetry tracer) samples them.</summary>
    public static readonly ActivitySource Source = new(SourceName, typeof(SourcesActivity).Assembly.GetName().Version?.ToString());
}
