using System.Diagnostics.Metrics;

namespace WasmMesh.Oci;

/// <summary>Metrics of the registry client (meter <c>WasmMesh.Oci</c>).</summary>
internal static class OciMetrics
{
    public const string MeterName = "WasmMesh.Oci";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Modules pulled, tagged with the layout recognised.</summary>
    public static readonly Counter<long> Pulls = Meter.CreateCounter<long>("wasmmesh.oci.pulls", "{module}", "Modules pulled, by layout");

    /// <summary>Modules pushed, tagged with the format written.</summary>
    public static readonly Counter<long> Pushes = Meter.CreateCounter<long>("wasmmesh.oci.pushes", "{module}", "Modules pushed, by format");

    /// <summary>Blob bytes uploaded (blobs the registry already had are not counted).</summary>
    public static readonly Counter<long> BytesUploaded = Meter.CreateCounter<long>("wasmmesh.oci.bytes_uploaded", "By", "Blob bytes uploaded");
}
