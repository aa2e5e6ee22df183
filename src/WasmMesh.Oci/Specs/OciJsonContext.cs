using System.Text.Json.Serialization;

namespace WasmMesh.Oci;

/// <summary>Source-generated JSON for the wire types.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(DigestJsonConverter)],
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(RegistryErrorResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(WasmeRuntimeConfig))]
[JsonSerializable(typeof(ManifestProbe))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
