using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>Source-generated JSON for signatures, bundles and OCI image layouts.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(DigestJsonConverter)],
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ManifestProbe))]
[JsonSerializable(typeof(SigstoreBundle))]
[JsonSerializable(typeof(InTotoStatement))]
[JsonSerializable(typeof(OciLayoutMarker))]
internal sealed partial class SupplyChainJsonContext : JsonSerializerContext;

/// <summary>The writer for <see cref="SupplyChainJsonContext"/>.</summary>
internal static class SupplyChainJson
{
    /// <summary>Writes compact JSON without escaping <c>+</c>, as other tools write media types.</summary>
    public static SupplyChainJsonContext Writer { get; } = new(new JsonSerializerOptions(SupplyChainJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
