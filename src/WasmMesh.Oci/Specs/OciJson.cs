using System.Text.Encodings.Web;
using System.Text.Json;

namespace WasmMesh.Oci;

/// <summary>The JSON contexts for reading and for writing manifests and configs.</summary>
internal static class OciJson
{
    /// <summary>
    /// Writes compact JSON without escaping <c>+</c> and other non-HTML-safe characters, so media types read
    /// <c>application/vnd.oci.image.manifest.v1+json</c> as every other tool writes them.
    /// </summary>
    public static OciJsonContext Writer { get; } = new(new JsonSerializerOptions(OciJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
